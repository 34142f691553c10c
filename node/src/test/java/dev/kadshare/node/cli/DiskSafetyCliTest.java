package dev.kadshare.node.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.Tmpfs;
import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's disk cases as a user meets them, through the CLI against in-process daemons: a download never
 * destroys what is in the output directory, every disk failure is FAILED with a reason that {@code get} prints
 * (exit 1) at once, and {@code remove --delete-data} deletes what it names in every state, never a shared
 * original unless {@code --delete-original} says so.
 */
class DiskSafetyCliTest {
    private static final byte[] MINE = "mine\n".getBytes();
    /** A get that fails must say so within seconds; the search budget alone would take minutes. */
    private static final Duration GET_BOUND = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static Path sharer;
    private static Path getter;
    /** A downloader held to 1 MiB/s, so a test can pause it mid-download and change the disk under it. */
    private static Path slowGetter;
    private static final CliDaemons daemons = new CliDaemons();
    private static final AtomicInteger seeds = new AtomicInteger();

    @BeforeAll
    static void startDaemons() throws Exception {
        sharer = daemon("sharer");
        String bootstrap = CliDaemons.bootstrapThrough(sharer);
        getter = daemon("getter", "--bootstrap", bootstrap);
        slowGetter = daemon("slow", "--bootstrap", bootstrap, "--max-download-rate", "1M");
        for (Path d : List.of(getter, slowGetter)) {
            CliDaemons.awaitJoined(d);
        }
    }

    @AfterAll
    static void stopDaemons() {
        daemons.close();
    }

    private static Path daemon(String name, String... extra) {
        Path dataDir = dir.resolve(name);
        daemons.start(dataDir, extra);
        return dataDir;
    }

    private static JsonNode status(Path dataDir) throws Exception {
        return CliDaemons.status(dataDir);
    }

    private static String idOf(String link) {
        return CliDaemons.idOf(link);
    }

    private static JsonNode transfer(Path dataDir, String link) throws Exception {
        return CliDaemons.transfer(dataDir, link);
    }

    /** Shares {@code path} from the sharer; returns its link. */
    private static String share(Path path, String... extra) {
        return CliDaemons.share(sharer, path, extra);
    }

    /** A fresh file of random bytes (every test's content is its own), shared; returns its link. */
    private static String shareNew(String name, int size, String... extra) throws Exception {
        Path file = RandomFiles.write(dir.resolve("src-" + seeds.get()).resolve(name), size,
                seeds.incrementAndGet());
        return share(file, extra);
    }

    private static byte[] sharedBytes(String name) throws Exception {
        return Files.readAllBytes(dir.resolve("src-" + (seeds.get() - 1)).resolve(name));
    }

    private static CliRun get(Path dataDir, String link, Path out, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("get", "--data-dir", dataDir.toString(), link, "--out",
                out.toString()));
        args.addAll(List.of(extra));
        return CompletableFuture.supplyAsync(() -> CliRun.of(args.toArray(String[]::new)))
                .get(GET_BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private static List<String> namesIn(Path out) throws Exception {
        try (Stream<Path> all = Files.list(out)) {
            return all.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileAlreadyThereIsKeptAndTheDownloadTakesTheNextFreeName() throws Exception {
        String link = shareNew("x.bin", 300_000);
        Path out = Files.createDirectories(dir.resolve("out-file"));
        Files.write(out.resolve("x.bin"), MINE);
        CliRun get = get(getter, link, out);
        assertEquals(0, get.exitCode(), get.toString());
        Path used = out.resolve("x (1).bin");
        assertEquals("complete: " + used, get.lastLine());
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("x.bin")), "the user's file is untouched");
        assertArrayEquals(sharedBytes("x.bin"), Files.readAllBytes(used));
        assertEquals(used.toString(), transfer(getter, link).path("path").asText());
        boolean seedsFromThere = false;
        for (JsonNode s : status(getter).path("shares")) {
            seedsFromThere |= s.path("contentId").asText().equals(idOf(link)) && s.path("path").asText().equals(used.toString());
        }
        assertTrue(seedsFromThere, "the node serves the content from the path it used");
        CliRun text = CliRun.of("status", "--data-dir", getter.toString());
        List<String> lines = text.out().lines().toList();
        int transfer = lines.indexOf(lines.stream().filter(l -> l.endsWith("  x.bin") && !l.startsWith("   ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(text.out())));
        assertEquals("    path: " + used, lines.get(transfer + 2), "text status names the path used: " + text.out());
        assertTrue(lines.stream().filter(l -> l.equals("    path: " + used)).count() >= 2,
                "under the transfer and under the share it seeds: " + text.out());
    }

    @Test
    void aDirectoryOrASymbolicLinkAtTheNameIsNeverReplacedNorFollowed() throws Exception {
        String link = shareNew("y.bin", 300_000);
        Path out = Files.createDirectories(dir.resolve("out-links"));
        Path theirs = Files.write(dir.resolve("theirs.txt"), MINE);
        Path theirDir = Files.createDirectories(dir.resolve("their-dir"));
        Files.createDirectories(out.resolve("y.bin"));
        Files.createSymbolicLink(out.resolve("y (1).bin"), theirs);
        Files.createSymbolicLink(out.resolve("y (2).bin"), theirDir);
        Files.createSymbolicLink(out.resolve("y (3).bin"), dir.resolve("nowhere"));
        // And at the partial file's names: a link to their file, their directory.
        Files.createSymbolicLink(out.resolve(".y.bin.kadshare-part"), theirs);
        Files.createDirectories(out.resolve(".y.bin.1.kadshare-part"));
        CliRun get = get(getter, link, out);
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("complete: " + out.resolve("y (4).bin"), get.lastLine());
        assertTrue(Files.isDirectory(out.resolve("y.bin"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(theirs, Files.readSymbolicLink(out.resolve("y (1).bin")));
        assertEquals(theirDir, Files.readSymbolicLink(out.resolve("y (2).bin")));
        assertEquals(dir.resolve("nowhere"), Files.readSymbolicLink(out.resolve("y (3).bin")));
        assertArrayEquals(MINE, Files.readAllBytes(theirs));
        assertEquals(List.of(), namesIn(theirDir));
        assertFalse(Files.exists(dir.resolve("nowhere"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(theirs, Files.readSymbolicLink(out.resolve(".y.bin.kadshare-part")));
        assertEquals(List.of(), namesIn(out.resolve(".y.bin.1.kadshare-part")));
        assertArrayEquals(sharedBytes("y.bin"), Files.readAllBytes(out.resolve("y (4).bin")));
    }

    @Test
    void anIdenticalFileAlreadyThereIsAdoptedNotDownloaded() throws Exception {
        String link = shareNew("same.bin", 300_000);
        Path out = Files.createDirectories(dir.resolve("out-same"));
        Path mine = Files.write(out.resolve("same.bin"), sharedBytes("same.bin"));
        Object inode = Files.getAttribute(mine, "unix:ino");
        CliRun get = get(getter, link, out);
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("complete: " + mine, get.lastLine());
        assertEquals(inode, Files.getAttribute(mine, "unix:ino"), "the very file, not a new copy");
        long fetched = 0;
        for (JsonNode p : transfer(getter, link).path("peers")) {
            fetched += p.path("bytesDownloaded").asLong();
        }
        assertEquals(0, fetched, "no chunk fetched from a peer");
        assertEquals(List.of("same.bin"), namesIn(out));
    }

    @Test
    void aDirectoryShareTakesAFreeNameAndRemoveDeleteDataDeletesIt() throws Exception {
        Path album = dir.resolve("src-album/Album");
        RandomFiles.write(album.resolve("a.bin"), 200_000, 11);
        RandomFiles.write(album.resolve("disc 2/b.bin"), 300_000, 12);
        String link = share(album);
        Path out = Files.createDirectories(dir.resolve("out-album"));
        Files.write(Files.createDirectories(out.resolve("Album")).resolve("mine.txt"), MINE);
        CliRun get = get(getter, link, out);
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("complete: " + out.resolve("Album (1)"), get.lastLine());
        assertArrayEquals(Files.readAllBytes(album.resolve("disc 2/b.bin")),
                Files.readAllBytes(out.resolve("Album (1)/disc 2/b.bin")));

        // Named by the link the user has, as get was.
        CliRun remove = CliRun.of("remove", "--data-dir", getter.toString(), link, "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertTrue(remove.out().contains("deleted its data"), remove.out());
        assertEquals(List.of("Album"), namesIn(out), "the download is gone, the user's directory stays");
        assertArrayEquals(MINE, Files.readAllBytes(out.resolve("Album/mine.txt")));
        assertTrue(Files.exists(album.resolve("a.bin")), "the sharer's files are another node's");
    }

    @Test
    void namesFromTheManifestAreMadeSafe() throws Exception {
        String escape = shareNew("plain.bin", 100_000, "--name", "evil\u001b]0;owned\u0007.txt");
        Path out = Files.createDirectories(dir.resolve("out-names"));
        CliRun get = get(getter, escape, out);
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("complete: " + out.resolve("evil_]0;owned_.txt"), get.lastLine());
        String hidden = shareNew("bashrc", 1000, "--name", ".bashrc");
        get = get(getter, hidden, out);
        assertEquals(0, get.exitCode(), get.toString());
        assertEquals("complete: " + out.resolve("_bashrc"), get.lastLine());
        // The sidecars stay only until the transfers' COMPLETE entries are on disk, a moment after get returns.
        await().atMost(Duration.ofSeconds(10)).until(() -> namesIn(out).size() == 2);
        assertEquals(List.of("_bashrc", "evil_]0;owned_.txt"), namesIn(out), "nothing hidden left");
    }

    @Test
    void namesThatWouldBeOneFileHereFailTheDownloadWithTheReason() throws Exception {
        Path share = dir.resolve("src-clash/clash");
        RandomFiles.write(share.resolve("a\u0001.txt"), 1000, 21);
        RandomFiles.write(share.resolve("a\u0002.txt"), 1000, 22);
        String link = share(share);
        Path out = dir.resolve("out-clash");
        CliRun get = get(getter, link, out);
        assertEquals(1, get.exitCode(), get.toString());
        assertTrue(get.err().contains("would be the same file here: 'clash/a_.txt'")
                || get.err().contains("would be the same file here: 'a_.txt'"), get.err());
        JsonNode t = transfer(getter, link);
        assertEquals("FAILED", t.path("state").asText());
        assertTrue(t.path("error").asText().contains("would be the same file"), t.toString());
        assertEquals(List.of(), namesIn(out), "nothing created");
    }

    @Test
    void anOutputDirectoryThatCannotBeCreatedFailsAtOnce() throws Exception {
        String link = shareNew("nowhere.bin", 1000);
        Path blocked = Files.write(dir.resolve("a-file"), MINE).resolve("sub");
        CliRun get = get(getter, link, blocked);
        assertEquals(1, get.exitCode(), get.toString());
        String reason = "output directory " + blocked + " does not exist and cannot be created: Not a directory";
        assertEquals("kadshare: download failed: " + reason, get.err().strip());
        JsonNode t = transfer(getter, link);
        assertEquals("FAILED", t.path("state").asText());
        assertEquals(reason, t.path("error").asText());

        // The mistake corrected: the failed transfer is named for what it is, with the way out.
        CliRun elsewhere = get(getter, link, Files.createDirectories(dir.resolve("out-elsewhere")));
        assertEquals(1, elsewhere.exitCode(), elsewhere.toString());
        assertEquals("kadshare: " + idOf(link) + " failed downloading into " + blocked
                + "; remove it first to download it elsewhere", elsewhere.err().strip());
        CliRun remove = CliRun.of("remove", "--data-dir", getter.toString(), idOf(link), "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals(0, get(getter, link, dir.resolve("out-elsewhere")).exitCode());
    }

    @Test
    void aReadOnlyOutputDirectoryFailsAtOnce() throws Exception {
        String link = shareNew("ro.bin", 1000);
        try (Tmpfs ro = Tmpfs.mount(dir.resolve("mnt-ro"), "1m").readOnly()) {
            CliRun get = get(getter, link, ro.path());
            assertEquals(1, get.exitCode(), get.toString());
            assertEquals("kadshare: download failed: output directory " + ro.path()
                    + " is not writable: Read-only file system", get.err().strip());
            assertEquals("FAILED", transfer(getter, link).path("state").asText());
        }
    }

    @Test
    void aFileSystemTooSmallFailsBeforeTheFirstByte() throws Exception {
        String link = shareNew("big.bin", 3 * 1024 * 1024);
        try (Tmpfs small = Tmpfs.mount(dir.resolve("mnt-small"), "1m")) {
            CliRun get = get(getter, link, small.path());
            assertEquals(1, get.exitCode(), get.toString());
            assertTrue(get.err().strip().matches("kadshare: download failed: not enough space in " + small.path()
                    + ": big\\.bin needs 3\\.0 MiB, 1\\.0 MiB free"), get.err());
            assertEquals(List.of(), namesIn(small.path()), "not a byte written");
        }
    }

    /** Starts a detached download on the slow node and pauses it once it holds some chunks but not all. */
    private static void startAndPauseMidway(String link, Path out) throws Exception {
        CliRun get = get(slowGetter, link, out, "--detach");
        assertEquals(0, get.exitCode(), get.toString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode t = transfer(slowGetter, link);
            return t.path("chunksVerified").asInt() > 0;
        });
        CliRun pause = CliRun.of("pause", "--data-dir", slowGetter.toString(), idOf(link));
        assertEquals(0, pause.exitCode(), pause.toString());
        JsonNode t = transfer(slowGetter, link);
        assertEquals("PAUSED", t.path("state").asText());
        assertTrue(t.path("chunksVerified").asInt() < t.path("chunksTotal").asInt(), "paused midway: " + t);
    }

    /** Re-attaches {@code get} to the paused download, which resumes it: get must exit 1, printing the error. */
    private static JsonNode getUntilFailed(String link, Path out) throws Exception {
        CliRun get = get(slowGetter, link, out);
        assertEquals(1, get.exitCode(), get.toString());
        JsonNode t = transfer(slowGetter, link);
        assertEquals("FAILED", t.path("state").asText(), t.toString());
        assertEquals("kadshare: download failed: " + t.path("error").asText(), get.err().strip());
        return t;
    }

    @Test
    void runningOutOfSpaceWhileWritingFailsWithTheReasonAndRemoveDeletesThePartialFile() throws Exception {
        String link = shareNew("fills.bin", 3 * 1024 * 1024);
        try (Tmpfs disk = Tmpfs.mount(dir.resolve("mnt-fills"), "4m")) {
            startAndPauseMidway(link, disk.path());
            Tmpfs.fill(disk.path());
            JsonNode failed = getUntilFailed(link, disk.path());
            String error = failed.path("error").asText();
            assertTrue(error.startsWith("cannot write " + disk.path().resolve(".fills.bin.kadshare-part"))
                    && error.endsWith("no space left on the device"), error);
            assertTrue(namesIn(disk.path()).contains(".fills.bin.kadshare-part"), "kept for a resume");

            CliRun remove = CliRun.of("remove", "--data-dir", slowGetter.toString(), idOf(link), "--delete-data");
            assertEquals(0, remove.exitCode(), remove.toString());
            assertEquals(List.of("filler"), namesIn(disk.path()), "partial file and sidecar deleted");
        }
    }

    @Test
    void removeDeleteDataDeletesTheFilesOfADownloadStuckSearchingMidway() throws Exception {
        String link = shareNew("stuck.bin", 3 * 1024 * 1024);
        Path out = Files.createDirectories(dir.resolve("out-stuck"));
        startAndPauseMidway(link, out);
        // Its only holder stops sharing it: resumed, the download finds nobody to finish it from and waits.
        CliRun unshare = CliRun.of("remove", "--data-dir", sharer.toString(), idOf(link));
        assertEquals(0, unshare.exitCode(), unshare.toString());
        CliRun resume = CliRun.of("resume", "--data-dir", slowGetter.toString(), idOf(link));
        assertEquals(0, resume.exitCode(), resume.toString());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode t = transfer(slowGetter, link);
            return t.path("state").asText().equals("SEARCHING") && !t.path("reason").asText().isEmpty();
        });
        assertEquals(List.of("." + idOf(link) + ".kadshare-state", ".stuck.bin.kadshare-part"), namesIn(out));

        CliRun remove = CliRun.of("remove", "--data-dir", slowGetter.toString(), idOf(link), "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals(List.of(), namesIn(out), "the partial file and its sidecar are deleted");
    }

    @Test
    void aMoveIntoPlaceThatFailsIsFailedWithTheReasonAndKeepsThePartialDirectory() throws Exception {
        Path share = dir.resolve("src-move/Stuck");
        RandomFiles.write(share.resolve("a.bin"), 1024 * 1024, 31);
        RandomFiles.write(share.resolve("sub/b.bin"), 2 * 1024 * 1024, 32);
        String link = share(share);
        Path out = Files.createDirectories(dir.resolve("out-move"));
        Path part = out.resolve(".Stuck.kadshare-part");
        Tmpfs.assumeRoot("chattr +i");
        startAndPauseMidway(link, out);
        // An immutable directory cannot be renamed; the files in it can still be written.
        Tmpfs.immutable(part, true);
        try {
            JsonNode failed = getUntilFailed(link, out);
            assertEquals("cannot move " + part + " into place: Operation not permitted", failed.path("error").asText());
            assertEquals(List.of("." + idOf(link) + ".kadshare-state", ".Stuck.kadshare-part"), namesIn(out),
                    "the partial directory and its sidecar stay; no reserved name is left behind");
            assertEquals(3 * 1024 * 1024, Files.size(part.resolve("a.bin")) + Files.size(part.resolve("sub/b.bin")));
        } finally {
            Tmpfs.immutable(part, false);
        }
        CliRun remove = CliRun.of("remove", "--data-dir", slowGetter.toString(), idOf(link), "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals(List.of(), namesIn(out), "a failed transfer's partial directory and sidecar are deleted");
    }

    @Test
    void removeDeleteDataNeverDeletesASharedOriginalDeleteOriginalDoes() throws Exception {
        Path original = RandomFiles.write(dir.resolve("src-original/mine.bin"), 10_000, 41);
        String link = share(original);
        CliRun remove = CliRun.of("remove", "--data-dir", sharer.toString(), idOf(link), "--delete-data");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals("removed " + idOf(link) + "; kept the shared original " + original
                + " (--delete-original deletes it)", remove.out().strip());
        assertTrue(Files.exists(original));

        share(original);
        remove = CliRun.of("remove", "--data-dir", sharer.toString(), idOf(link), "--delete-original");
        assertEquals(0, remove.exitCode(), remove.toString());
        assertEquals("removed " + idOf(link) + ", deleted the shared original", remove.out().strip());
        assertFalse(Files.exists(original));
    }
}
