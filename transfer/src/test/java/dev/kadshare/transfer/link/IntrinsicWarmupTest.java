package dev.kadshare.transfer.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntrinsicWarmupTest {
    @Test
    void everyRecordSealedOnTheWayOpensAgain() {
        assertEquals(IntrinsicWarmup.CALLS, IntrinsicWarmup.run());
    }
}
