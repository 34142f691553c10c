package dev.kadshare.transfer.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChunkWaitersTest {
    @Test
    void aWaiterIsToldOnceItsChunkIsVerifiedAtOnceIfItIsAlready() {
        ChunkWaiters waiters = new ChunkWaiters();
        CompletableFuture<Void> five = new CompletableFuture<>();
        CompletableFuture<Void> six = new CompletableFuture<>();
        waiters.add(5, five);
        waiters.add(6, six);
        BitSet held = new BitSet();
        held.set(6);
        waiters.known(held); // a resumed download held chunk 6 already
        assertTrue(six.isDone());
        assertFalse(five.isDone());
        waiters.verified(4);
        assertFalse(five.isDone());
        waiters.verified(5);
        assertTrue(five.isDone() && !five.isCompletedExceptionally());
        CompletableFuture<Void> again = new CompletableFuture<>();
        waiters.add(5, again);
        assertTrue(again.isDone(), "verified before it asked");
    }

    @Test
    void aStopFailsTheWaitersButNotAfterTheDownloadCompleted() {
        ChunkWaiters stopped = new ChunkWaiters();
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        stopped.add(1, waiting);
        stopped.fail(new IOException("paused"));
        assertTrue(waiting.isCompletedExceptionally());
        CompletableFuture<Void> late = new CompletableFuture<>();
        stopped.add(2, late);
        assertTrue(late.isCompletedExceptionally(), "nothing comes from a stopped download");

        ChunkWaiters complete = new ChunkWaiters();
        CompletableFuture<Void> last = new CompletableFuture<>();
        complete.add(3, last);
        complete.complete();
        complete.fail(new IOException("let go after completing"));
        assertTrue(last.isDone() && !last.isCompletedExceptionally());
        CompletableFuture<Void> after = new CompletableFuture<>();
        complete.add(9, after);
        assertTrue(after.isDone() && !after.isCompletedExceptionally(), "every chunk is there");
    }
}
