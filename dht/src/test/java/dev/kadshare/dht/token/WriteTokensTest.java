package dev.kadshare.dht.token;

import static org.junit.jupiter.api.Assertions.*;

import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WriteTokensTest {
    private final VirtualClock clock = new VirtualClock();
    private final WriteTokens tokens = new WriteTokens(clock, new SplittableRandom(3), Duration.ofMinutes(5));

    private void advance(Duration d) {
        clock.runFor(d);
    }

    @Test
    void validForSameAddressAcrossOneRotation() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        WriteToken t = tokens.issue(a);
        assertTrue(tokens.isValid(t, a));
        advance(Duration.ofMinutes(4));
        assertTrue(tokens.isValid(t, a));
        advance(Duration.ofMinutes(2)); // one rotation: previous secret still accepted
        assertTrue(tokens.isValid(t, a));
    }

    @Test
    void rejectedForOtherAddress() throws Exception {
        WriteToken t = tokens.issue(InetAddress.getByName("10.0.0.1"));
        assertFalse(tokens.isValid(t, InetAddress.getByName("10.0.0.2")));
    }

    @Test
    void rejectedAfterTwoRotations() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        WriteToken t = tokens.issue(a);
        advance(Duration.ofMinutes(5));
        assertTrue(tokens.isValid(t, a));
        advance(Duration.ofMinutes(5));
        assertFalse(tokens.isValid(t, a));
    }

    @Test
    void rejectedAfterALongIdleGap() throws Exception {
        InetAddress a = InetAddress.getByName("10.0.0.1");
        WriteToken t = tokens.issue(a);
        advance(Duration.ofHours(3));
        assertFalse(tokens.isValid(t, a));
    }
}
