package dev.kadshare.transfer;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.transfer.netty.NettyDownload;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs throwaway downloads from a throwaway server over loopback when a node starts, so that its first real transfer
 * does not run cold code: on a fresh JVM the first link's handshake, HELLO and manifest loaded some 250 classes at the
 * sharer and 500 at the getter and ran interpreted, about 300 ms more than later transfers took to their first bytes.
 * The server and the downloads have identities, keys and counts of their own: nothing of the node's state is touched.
 */
public final class TransferWarmup {
    /** Downloads per warm-up: the first handshake is XX, the later ones IK, as a node's first and later links. */
    public static final int ROUNDS = 2;
    /** Time each download may take before the warm-up gives up (where loopback is down, a dial may never answer). */
    public static final Duration ROUND_LIMIT = Duration.ofSeconds(10);
    /** The throwaway file's name, as the node's log shows it. */
    public static final String NAME = "kadshare-warmup.bin";
    /** Four chunks of the smallest chunk size: several requests in flight, as in a real download. */
    private static final int SIZE = 4 * 64 * 1024;

    private TransferWarmup() {
    }

    /**
     * Starts the warm-up in a scratch directory of {@code parent} (deleted after): {@code rounds} downloads one after
     * another, on {@code group}, verifying on {@code hashing}, each given up after {@code limit}; completes with how
     * many completed, or exceptionally when loopback or the disk cannot be used (harmless: the node works without it).
     */
    public static CompletableFuture<Integer> run(EventLoopGroup group, Executor hashing, Path parent, int rounds,
            Duration limit) {
        return CompletableFuture.supplyAsync(() -> Scratch.create(parent, group), hashing).thenCompose(scratch -> {
            DownloadOptions options = DownloadOptions.builder().hashing(hashing).build();
            // One client identity for all rounds: it learns the server's key in the first, so the later ones are IK.
            LinkSecurity client = LinkSecurity.ephemeral();
            CompletableFuture<Integer> done = CompletableFuture.completedFuture(0);
            for (int i = 0; i < rounds; i++) {
                Path out = scratch.dir().resolve("out" + i);
                done = done.thenCompose(n -> {
                    NettyDownload d = NettyDownload.start(scratch.manifest().contentId(), List.of(scratch.address()), out,
                            group, options, NettyDownload.Milestones.NONE, client);
                    ScheduledFuture<?> giveUp = group.schedule(d::cancel, limit.toNanos(), TimeUnit.NANOSECONDS);
                    return d.completion().whenComplete((path, error) -> giveUp.cancel(false))
                            .thenCompose(path -> d.stopped()).thenApply(stopped -> n + 1);
                });
            }
            return done.whenCompleteAsync((n, error) -> scratch.close(), hashing);
        });
    }

    /** The served file, its manifest and the server, in a directory deleted on close. */
    private record Scratch(Path dir, Manifest manifest, TransferServer server, InetSocketAddress address) {
        static Scratch create(Path parent, EventLoopGroup group) {
            Path dir = null;
            try {
                Files.createDirectories(parent);
                dir = Files.createTempDirectory(parent, "warmup");
                Path file = Files.write(dir.resolve(NAME), new byte[SIZE]);
                Manifest manifest = Manifest.ofFile(file, NAME);
                SharedContent content = new SharedContent(manifest, file);
                TransferServer server = TransferServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        id -> id.equals(manifest.contentId()) ? Optional.of(content) : Optional.empty(), group);
                return new Scratch(dir, manifest, server, server.localAddress());
            } catch (IOException e) {
                delete(dir);
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            server.close();
            delete(dir);
        }

        private static void delete(Path dir) {
            if (dir == null) {
                return;
            }
            try {
                MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
            } catch (IOException e) {
                // A scratch directory left in a temporary place: nothing depends on it.
            }
        }
    }
}
