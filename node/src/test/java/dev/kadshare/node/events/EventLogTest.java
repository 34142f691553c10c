package dev.kadshare.node.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kadshare.node.events.EventLog.Entry;
import dev.kadshare.node.events.EventLog.Read;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static NodeEvent removed(int n) {
        return new NodeEvent.ShareRemoved("c" + n);
    }

    private static List<Long> ids(Read read) {
        return assertInstanceOf(Read.Events.class, read).entries().stream().map(Entry::id).toList();
    }

    @Test
    void idsGrowByOneAndAReaderGetsWhatFollowsItsId() {
        EventLog log = new EventLog(10, 1000);
        assertEquals(999, log.latest());
        assertEquals(List.of(), ids(log.after(999)));
        for (int i = 0; i < 5; i++) {
            assertEquals(1000 + i, log.append(removed(i)));
        }
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L), ids(log.after(999)));
        assertEquals(List.of(1003L, 1004L), ids(log.after(1002)));
        assertEquals(List.of(), ids(log.after(1004)));
        assertEquals(removed(3), assertInstanceOf(Read.Events.class, log.after(1002)).entries().get(0).event());
    }

    @Test
    void anIdWhoseSuccessorsWereDroppedOrThatWasNeverIssuedIsMissed() {
        EventLog log = new EventLog(3, 1);
        for (int i = 0; i < 5; i++) {
            log.append(removed(i)); // ids 1..5; 1 and 2 dropped
        }
        assertEquals(List.of(3L, 4L, 5L), ids(log.after(2)), "everything after 2 is held");
        assertEquals(new Read.Missed(1, 5), log.after(1), "2 is gone");
        assertEquals(new Read.Missed(0, 5), log.after(0));
        assertEquals(new Read.Missed(6, 5), log.after(6), "an id from another run, not one of ours");
    }

    @Test
    void awaitReturnsOnAnAppendOrAfterItsTimeoutOrOnClose() throws Exception {
        EventLog log = new EventLog(10, 1);
        assertEquals(List.of(), ids(log.await(0, Duration.ofMillis(50))), "nothing came: empty after the timeout");

        CompletableFuture<Read> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(0, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        log.append(removed(1));
        assertEquals(List.of(1L), ids(waiting.get(30, TimeUnit.SECONDS)));

        CompletableFuture<Read> closing = CompletableFuture.supplyAsync(() -> {
            try {
                return log.await(1, Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        log.close();
        assertInstanceOf(Read.Closed.class, closing.get(30, TimeUnit.SECONDS));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EventLog(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new EventLog(1, 0));
    }
}
