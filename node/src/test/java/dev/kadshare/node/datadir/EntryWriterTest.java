package dev.kadshare.node.datadir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.api.Json;
import dev.kadshare.node.library.Library;
import dev.kadshare.node.transfers.TransferCatalog;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.Naming;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer catalog and the library persist through the entry writer: a disk that hangs never holds up
 * the caller (in the node, an event loop), bursts of changes to one entry cost one write, and close writes
 * whatever is still queued.
 */
class EntryWriterTest {
    private static final Duration NEVER_BLOCKS = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    /** Real writes, except that each waits until the test opens the gate; records what it wrote. */
    private static final class GatedDisk implements EntryWriter.FileOps {
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void write(Path target, byte[] data) throws IOException {
            pass();
            EntryWriter.FileOps.ATOMIC.write(target, data);
            applied.add("write " + target.getFileName());
        }

        @Override
        public void delete(Path target) throws IOException {
            pass();
            EntryWriter.FileOps.ATOMIC.delete(target);
            applied.add("delete " + target.getFileName());
        }

        private void pass() throws IOException {
            firstStarted.countDown();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IOException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }

    private static TransferCatalog.Entry entry(TransferState state) {
        return new TransferCatalog.Entry("magnet:?xt=urn:kadshare:" + "ab".repeat(32), "/out", state, null, null, null, null);
    }

    @Test
    void aHungDiskWriteDoesNotBlockTheCatalogsCallerAndABurstCostsOneWrite() throws Exception {
        GatedDisk disk = new GatedDisk();
        try (EntryWriter writer = new EntryWriter(disk)) {
            TransferCatalog catalog = new TransferCatalog(dir.resolve("transfers"), Json.MAPPER, writer);
            assertTimeoutPreemptively(NEVER_BLOCKS, () -> catalog.save("a", entry(TransferState.SEARCHING)));
            assertTrue(disk.firstStarted.await(10, TimeUnit.SECONDS), "the writer's thread took the first write");
            // The writer is stuck in that write; every further change still returns at once.
            assertTimeoutPreemptively(NEVER_BLOCKS, () -> {
                catalog.save("a", entry(TransferState.DOWNLOADING));
                catalog.save("b", entry(TransferState.SEARCHING));
                catalog.save("a", entry(TransferState.PAUSED));
                catalog.save("a", entry(TransferState.DOWNLOADING));
                catalog.remove("b");
            });
            disk.gate.countDown();
            writer.flushed().get(10, TimeUnit.SECONDS);
            // "a" was written once more with its latest state; "b" queued a write, then its delete replaced it.
            assertEquals(List.of("write a.json", "write a.json", "delete b.json"), disk.applied);
            assertEquals(List.of(entry(TransferState.DOWNLOADING)), catalog.load());
        }
    }

    @Test
    void aHungDiskWriteDoesNotBlockTheLibrary() throws Exception {
        Path file = Files.write(dir.resolve("shared.bin"), new byte[1000]);
        Manifest manifest = Manifest.ofFile(file, "shared.bin");
        GatedDisk disk = new GatedDisk();
        try (EntryWriter writer = new EntryWriter(disk)) {
            Library library = Library.open(dir.resolve("library"), Json.MAPPER, writer);
            ContentStamps stamps = ContentStamps.of(ContentLayout.of(manifest, file));
            assertTimeoutPreemptively(NEVER_BLOCKS, () -> library.add(manifest, file, Naming.ORIGINAL, stamps));
            assertTrue(library.find(manifest.contentId()).isPresent(), "served at once, before the entry is on disk");
            assertTrue(disk.firstStarted.await(10, TimeUnit.SECONDS));
            disk.gate.countDown();
            writer.flushed().get(10, TimeUnit.SECONDS);
        }
        try (EntryWriter writer = new EntryWriter(EntryWriter.FileOps.ATOMIC)) {
            Library reopened = Library.open(dir.resolve("library"), Json.MAPPER, writer);
            assertTrue(reopened.find(manifest.contentId()).isPresent(), "the entry reached the disk");
        }
    }

    @Test
    void closeWritesWhatIsStillQueued() throws Exception {
        GatedDisk disk = new GatedDisk();
        EntryWriter writer = new EntryWriter(disk);
        TransferCatalog catalog = new TransferCatalog(dir.resolve("transfers"), Json.MAPPER, writer);
        catalog.save("first", entry(TransferState.SEARCHING));
        assertTrue(disk.firstStarted.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            catalog.save("n" + i, entry(TransferState.PAUSED));
        }
        disk.gate.countDown();
        writer.close();
        assertEquals(21, catalog.load().size(), "every queued entry is on disk once close returns");
        // A change after close (a late callback at shutdown) is still written, on the caller's thread.
        catalog.save("late", entry(TransferState.COMPLETE));
        assertEquals(22, catalog.load().size());
    }

    /** Refuses every change while {@code full}, as a full disk does; then writes as {@link EntryWriter.FileOps#ATOMIC}. */
    private static final class FillingDisk implements EntryWriter.FileOps {
        volatile boolean full = true;
        final java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void write(Path target, byte[] data) throws IOException {
            if (full) {
                refusals.incrementAndGet();
                throw new IOException("No space left on device");
            }
            EntryWriter.FileOps.ATOMIC.write(target, data);
        }

        @Override
        public void delete(Path target) throws IOException {
            EntryWriter.FileOps.ATOMIC.delete(target);
        }
    }

    @Test
    void aWriteTheDiskRefusedIsTriedAgainUntilItLands() throws Exception {
        FillingDisk disk = new FillingDisk();
        try (EntryWriter writer = new EntryWriter(disk, Duration.ofMillis(50))) {
            TransferCatalog catalog = new TransferCatalog(dir.resolve("transfers"), Json.MAPPER, writer);
            catalog.save("a", entry(TransferState.SEARCHING));
            catalog.save("b", entry(TransferState.SEARCHING));
            await().atMost(Duration.ofSeconds(10)).until(() -> disk.refusals.get() >= 4); // each tried again
            assertEquals(0, catalog.load().size());
            disk.full = false; // space again
            await().atMost(Duration.ofSeconds(10)).until(() -> catalog.load().size() == 2);
        }
    }

    @Test
    void aNewerChangeSupersedesARefusedOneAndCloseTriesWhatIsLeftOnce() throws Exception {
        FillingDisk disk = new FillingDisk();
        EntryWriter writer = new EntryWriter(disk, Duration.ofMinutes(10)); // no retry before close
        TransferCatalog catalog = new TransferCatalog(dir.resolve("transfers"), Json.MAPPER, writer);
        catalog.save("a", entry(TransferState.SEARCHING));
        await().atMost(Duration.ofSeconds(10)).until(() -> disk.refusals.get() == 1);
        disk.full = false;
        catalog.save("a", entry(TransferState.PAUSED));
        catalog.save("b", entry(TransferState.SEARCHING));
        writer.flushed().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(entry(TransferState.PAUSED), entry(TransferState.SEARCHING)).size(), catalog.load().size());
        assertTrue(catalog.load().contains(entry(TransferState.PAUSED)), "the newer change won");
        disk.full = true;
        catalog.save("c", entry(TransferState.COMPLETE));
        await().atMost(Duration.ofSeconds(10)).until(() -> disk.refusals.get() == 2);
        disk.full = false;
        writer.close(); // the refused change's retry is 10 minutes off: close tries it now
        assertTrue(catalog.load().contains(entry(TransferState.COMPLETE)));
    }

    @Test
    void whatWaitsForAWriteRunsOnceItIsOnDiskAndNotForAWriteANewerOneReplaced() throws Exception {
        Path target = dir.resolve("entry.json");
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        FillingDisk full = new FillingDisk();
        try (EntryWriter writer = new EntryWriter(full, Duration.ofMillis(50))) {
            writer.write(target, new byte[] {1}, () -> ran.add("refused at first, on disk: " + Files.exists(target)));
            await().atMost(Duration.ofSeconds(10)).until(() -> full.refusals.get() >= 2);
            assertEquals(List.of(), ran, "not while the disk refuses the write");
            full.full = false;
            await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 1);
        }
        GatedDisk gated = new GatedDisk();
        try (EntryWriter writer = new EntryWriter(gated)) {
            writer.write(target, new byte[] {2}, () -> ran.add("first"));
            assertTrue(gated.firstStarted.await(10, TimeUnit.SECONDS));
            writer.write(target, new byte[] {3}, () -> ran.add("replaced while queued"));
            writer.write(target, new byte[] {4}, () -> ran.add("newest"));
            gated.gate.countDown();
            writer.flushed().get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("refused at first, on disk: true", "first", "newest"), ran);
        assertEquals(4, Files.readAllBytes(target)[0]);
    }

    @Test
    void aChangeRefusedWhileANewerOneWasAskedForIsNotTriedAgainOverIt() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch newerAsked = new CountDownLatch(1);
        EntryWriter.FileOps slowThenFull = new EntryWriter.FileOps() {
            private boolean first = true;

            @Override
            public void write(Path target, byte[] data) throws IOException {
                if (first) {
                    first = false;
                    writing.countDown();
                    try {
                        assertTrue(newerAsked.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IOException("No space left on device");
                }
                EntryWriter.FileOps.ATOMIC.write(target, data);
            }

            @Override
            public void delete(Path target) throws IOException {
                EntryWriter.FileOps.ATOMIC.delete(target);
            }
        };
        try (EntryWriter writer = new EntryWriter(slowThenFull, Duration.ofMillis(20))) {
            TransferCatalog catalog = new TransferCatalog(dir.resolve("transfers"), Json.MAPPER, writer);
            catalog.save("a", entry(TransferState.DOWNLOADING));
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            catalog.save("a", entry(TransferState.COMPLETE)); // while the first write is still under way
            newerAsked.countDown();
            writer.flushed().get(10, TimeUnit.SECONDS);
            // Long past any retry of the refused change: the newer state stays.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> catalog.load().equals(List.of(entry(TransferState.COMPLETE))));
        }
    }
}
