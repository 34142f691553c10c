package dev.kadshare.node.transfers;

import dev.kadshare.dht.Dht;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.transfer.Download;
import dev.kadshare.transfer.DownloadProgress;
import dev.kadshare.transfer.content.Manifest;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download as the node runs it: find peers through the DHT and the link's hints, hand them to a
 * {@link Download}, keep feeding it peers found later, and report completion so the node can seed.
 */
public final class Transfer {
    private static final Logger log = LoggerFactory.getLogger(Transfer.class);
    /** How long to keep looking when nobody holds the content yet. */
    static final int MAX_SEARCH_ATTEMPTS = 60;
    private static final Duration MAX_SEARCH_DELAY = Duration.ofSeconds(5);
    private static final Duration PEER_REFRESH = Duration.ofSeconds(10);

    /** What the node does with a finished download: serve it and announce it. */
    public interface Completion {
        void completed(Manifest manifest, Path file);
    }

    private final MagnetLink link;
    private final Path outDir;
    private final Dht dht;
    private final EventLoopGroup group;
    private final Completion completion;
    private final CompletableFuture<Path> done = new CompletableFuture<>();

    private volatile TransferState state = TransferState.SEARCHING;
    private volatile String error;
    private volatile Download download;
    private volatile Path finalPath;
    private volatile ScheduledFuture<?> pending;
    private int searchAttempts;

    public Transfer(MagnetLink link, Path outDir, Dht dht, EventLoopGroup group, Completion completion) {
        this.link = link;
        this.outDir = outDir.toAbsolutePath().normalize();
        this.dht = dht;
        this.group = group;
        this.completion = completion;
    }

    public void start() {
        search();
    }

    public Path outDir() {
        return outDir;
    }

    public CompletableFuture<Path> done() {
        return done;
    }

    private NodeId key() {
        return NodeId.of(link.contentId().bytes());
    }

    private void search() {
        if (done.isDone()) {
            return;
        }
        searchAttempts++;
        dht.findPeers(key()).whenComplete((found, failure) -> {
            Set<InetSocketAddress> peers = new LinkedHashSet<>(link.peerHints());
            if (found != null) {
                peers.addAll(found);
            }
            if (failure != null) {
                log.debug("peer lookup for {} failed: {}", link.contentId().toHex(), failure.toString());
            }
            if (!peers.isEmpty()) {
                startDownload(peers);
            } else if (searchAttempts >= MAX_SEARCH_ATTEMPTS) {
                fail("no peers found for " + link.contentId().toHex() + " after " + searchAttempts + " lookups");
            } else {
                long delayMs = Math.min(MAX_SEARCH_DELAY.toMillis(), 250L << Math.min(searchAttempts, 5));
                pending = group.schedule(this::search, delayMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    private synchronized void startDownload(Set<InetSocketAddress> peers) {
        if (done.isDone() || download != null) {
            return;
        }
        log.info("downloading {} from {} peer(s)", link.contentId().toHex(), peers.size());
        download = Download.start(link.contentId(), peers, outDir, group);
        state = TransferState.DOWNLOADING;
        pending = group.scheduleWithFixedDelay(this::refreshPeers,
                PEER_REFRESH.toMillis(), PEER_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        download.completion().whenComplete((path, failure) -> {
            cancelPending();
            if (failure != null) {
                fail(rootMessage(failure));
                return;
            }
            finalPath = path;
            download.progress().manifest().ifPresent(m -> completion.completed(m, path));
            state = TransferState.COMPLETE;
            log.info("download of {} complete: {}", link.contentId().toHex(), path);
            done.complete(path);
        });
    }

    /** Peers that joined the swarm after the first lookup are worth having too. */
    private void refreshPeers() {
        Download current = download;
        if (current == null || done.isDone()) {
            return;
        }
        dht.findPeers(key()).thenAccept(found -> {
            if (!found.isEmpty()) {
                current.addPeers(found);
            }
        });
    }

    private void fail(String message) {
        error = message;
        state = TransferState.FAILED;
        log.warn("download of {} failed: {}", link.contentId().toHex(), message);
        done.completeExceptionally(new IllegalStateException(message));
    }

    private static String rootMessage(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    private void cancelPending() {
        ScheduledFuture<?> task = pending;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Stops searching and downloading; the partial file stays where it is. */
    public synchronized void cancel() {
        cancelPending();
        if (download != null) {
            download.cancel();
        }
        if (!done.isDone()) {
            fail("cancelled");
        }
    }

    public TransferStatus status() {
        Download current = download;
        String name = link.name().orElse(link.contentId().toHex());
        long size = link.size().orElse(-1);
        int verified = 0;
        int total = 0;
        long bytesDown = 0;
        List<PeerStatus> peers = List.of();
        if (current != null) {
            DownloadProgress p = current.progress();
            if (p.manifest().isPresent()) {
                name = p.manifest().get().name();
                size = p.manifest().get().length();
            }
            verified = p.chunksVerified();
            total = p.chunksTotal();
            bytesDown = p.bytesDownloaded();
            peers = p.peers().stream()
                    .map(peer -> new PeerStatus(HostPort.format(peer.address()), peer.bytesDownloaded(), 0,
                            peer.badChunks(), peer.dropped()))
                    .toList();
        }
        Path path = finalPath;
        return new TransferStatus(link.contentId().toHex(), name, size, state, outDir.toString(),
                path == null ? null : path.toString(), error, verified, total, bytesDown, 0, peers);
    }
}
