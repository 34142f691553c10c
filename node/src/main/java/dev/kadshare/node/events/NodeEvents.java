package dev.kadshare.node.events;

import dev.kadshare.node.NodeStatus.ShareStatus;
import dev.kadshare.node.PeersStatus.ContentPeers;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.TransferStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a node does into {@link NodeEvent}s in its {@link EventLog}. Additions, removals and changes of state
 * are told by the node as they happen; progress and peers are sampled every {@link #SAMPLE_PERIOD} and reported
 * when they changed, so a busy download yields a few events a second, not one per chunk.
 */
public final class NodeEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeEvents.class);
    /** How often progress and peers are compared with what was last reported. */
    public static final Duration SAMPLE_PERIOD = Duration.ofMillis(250);
    /** Events held for readers that come back: at 4 a second per transfer, a minute of 40 busy downloads. */
    public static final int HISTORY = 10_000;

    /** What the sampler compares: every transfer, and the peers of every share. */
    public record Snapshot(List<TransferStatus> transfers, List<ContentPeers> sharePeers) {}

    /** What was last reported of one transfer. */
    private record Reported(TransferStatus status, long generation) {}

    private final EventLog history;
    private final Supplier<Snapshot> snapshots;
    /** Per transfer: its last reported status, and how many state events it had (see {@link #sample}). */
    private final Map<String, Reported> transfers = new HashMap<>();
    /** Per content: its live peers (by node id, else address) as last reported. */
    private final Map<String, Map<String, PeerStatus>> peers = new HashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kadshare-events");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param firstId the first event's id (see {@link EventLog})
     * @param snapshots the node's transfers and share peers, read on the sampling thread
     */
    public NodeEvents(long firstId, Supplier<Snapshot> snapshots) {
        this.history = new EventLog(HISTORY, firstId);
        this.snapshots = snapshots;
    }

    public EventLog log() {
        return history;
    }

    /** Takes what the node holds now as already known, then samples it periodically. */
    public void start() {
        sample(true);
        sampler.scheduleWithFixedDelay(this::sampleSafely, SAMPLE_PERIOD.toMillis(), SAMPLE_PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    public synchronized void transferAdded(TransferStatus transfer) {
        transfers.put(transfer.contentId(), new Reported(transfer, 0));
        history.append(new NodeEvent.TransferAdded(transfer));
    }

    /** A transfer moved to {@code transfer.state()}; a state it was already reported in is not told again. */
    public synchronized void stateChanged(TransferStatus transfer) {
        Reported last = transfers.get(transfer.contentId());
        long generation = last == null ? 1 : last.generation() + 1;
        transfers.put(transfer.contentId(), new Reported(transfer, generation));
        if (last == null || last.status().state() != transfer.state()) {
            history.append(new NodeEvent.TransferStateChanged(transfer));
        }
    }

    public synchronized void transferRemoved(String contentId) {
        transfers.remove(contentId);
        history.append(new NodeEvent.TransferRemoved(contentId));
    }

    public synchronized void shareAdded(ShareStatus share) {
        history.append(new NodeEvent.ShareAdded(share));
    }

    public synchronized void shareRemoved(String contentId) {
        history.append(new NodeEvent.ShareRemoved(contentId));
    }

    private void sampleSafely() {
        try {
            sample(false);
        } catch (RuntimeException e) {
            // A failed sample must not end the sampling: the next one reports what this one missed.
            log.warn("sampling events failed: {}", e.toString(), e);
        }
    }

    /**
     * Reports each transfer whose status changed since last reported, and the peers that came or went. A status
     * is read outside this lock, so a state change can be reported meanwhile: then the sample is older than that
     * event and is dropped (the generation moved), lest a stale DOWNLOADING follow a COMPLETE.
     */
    private void sample(boolean baseline) {
        Map<String, Long> generations;
        synchronized (this) {
            generations = new HashMap<>();
            transfers.forEach((id, reported) -> generations.put(id, reported.generation()));
        }
        Snapshot now = snapshots.get();
        synchronized (this) {
            Set<String> present = new HashSet<>();
            for (TransferStatus status : now.transfers()) {
                String id = status.contentId();
                present.add(id);
                Reported last = transfers.get(id);
                if (last == null) {
                    // Restored at start (baseline), or added and removed in a blink: nothing to compare with.
                    transfers.put(id, new Reported(status, 0));
                } else if (generations.containsKey(id) && generations.get(id) == last.generation()
                        && !last.status().equals(status)) {
                    transfers.put(id, new Reported(status, last.generation()));
                    if (!baseline) {
                        history.append(new NodeEvent.TransferProgress(status));
                    }
                }
                comparePeers(id, status.peers(), baseline);
            }
            transfers.keySet().retainAll(present);
            for (ContentPeers share : now.sharePeers()) {
                present.add(share.contentId());
                comparePeers(share.contentId(), share.peers(), baseline);
            }
            peers.keySet().retainAll(present);
        }
    }

    private void comparePeers(String contentId, List<PeerStatus> seen, boolean baseline) {
        Map<String, PeerStatus> live = new LinkedHashMap<>();
        for (PeerStatus peer : seen) {
            if (!peer.dropped()) {
                live.put(peer.nodeId() != null ? peer.nodeId() : peer.address(), peer);
            }
        }
        Map<String, PeerStatus> before = peers.getOrDefault(contentId, Map.of());
        if (!baseline) {
            live.forEach((key, peer) -> {
                if (!before.containsKey(key)) {
                    history.append(new NodeEvent.PeerJoined(contentId, peer));
                }
            });
            before.forEach((key, peer) -> {
                if (!live.containsKey(key)) {
                    history.append(new NodeEvent.PeerLeft(contentId, lastSeen(seen, peer)));
                }
            });
        }
        peers.put(contentId, live);
    }

    /** The peer as now listed (dropped, with its bad chunks) if it still is, else as last reported. */
    private static PeerStatus lastSeen(List<PeerStatus> seen, PeerStatus before) {
        return seen.stream().filter(p -> p.address().equals(before.address())
                && Objects.equals(p.nodeId(), before.nodeId())).findFirst().orElse(before);
    }

    /** Stops sampling and ends every stream reading the log. */
    @Override
    public void close() {
        sampler.shutdownNow();
        history.close();
    }
}
