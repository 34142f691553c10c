package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.net.Transport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every download test again on native epoll, the transport a node runs on under Linux: its reads go through
 * another code path (edge-triggered, native recv into the frame buffers). Where epoll is not available the
 * group falls back to NIO and this repeats the NIO run.
 */
class EpollDownloadTest extends DownloadTest {
    @BeforeAll
    static void startLoops() { // hides DownloadTest's, so JUnit runs only this one
        group = Transport.preferred().newGroup(2);
    }

    @Test
    void theInheritedTestsRunOnThePreferredTransport() {
        assertEquals(Transport.preferred(), Transport.of(group));
    }
}
