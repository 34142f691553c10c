package dev.kadshare.transfer.serving;

import dev.kadshare.testkit.VirtualClock;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one {@link ServingHub} in virtual time on the test's thread: its timers on a {@link VirtualClock}, and its
 * sessions as the test scripts them. A session writes every chunk it is handed at once and stays writable, unless
 * the test stalls it ({@link #stall}); what the hub sent each session waits to be read ({@link #sent}).
 */
final class HubRun {
    /** What a session was told, in order: a message, or a chunk as its index. */
    record Out(Optional<Message> message, int chunk) {
        static Out of(HubAction action) {
            if (action instanceof HubAction.Send send) {
                return new Out(Optional.of(send.message()), -1);
            }
            return new Out(Optional.empty(), ((HubAction.SendChunk) action).index());
        }
    }

    final VirtualClock clock = new VirtualClock();
    final ServingHub hub;
    private final Map<SessionId, List<HubAction>> heard = new HashMap<>();
    private final Set<SessionId> full = new HashSet<>();
    /** Per stalled session: chunks handed to it and not reported written yet. */
    private final Map<SessionId, Integer> unwritten = new HashMap<>();
    private final List<HubAction> all = new ArrayList<>();
    private long sessions;

    HubRun(HubSettings settings, LocalCopy copy) {
        this(settings, copy, new PeerHoldings(copy.manifest().chunkCount()));
    }

    HubRun(HubSettings settings, LocalCopy copy, PeerHoldings holdings) {
        this.hub = new ServingHub(settings, copy, holdings, clock);
    }

    /** Hands the hub {@code event} and everything its sessions report back at once. */
    void handle(HubEvent event) {
        List<HubEvent> next = new ArrayList<>();
        for (HubAction action : hub.handle(event)) {
            all.add(action);
            if (action instanceof HubAction.Schedule schedule) {
                clock.schedule(schedule.after(), () -> handle(new HubEvent.TimerFired(schedule.timer())));
            } else if (action instanceof HubAction.PublishUploads) {
                continue;
            } else {
                SessionId s = sessionOf(action);
                heard.computeIfAbsent(s, k -> new ArrayList<>()).add(action);
                if (action instanceof HubAction.SendChunk && full.contains(s)) {
                    unwritten.merge(s, 1, Integer::sum);
                } else if (action instanceof HubAction.SendChunk) {
                    next.add(new HubEvent.ChunkWritten(s, true));
                }
            }
        }
        next.forEach(this::handle);
    }

    private static SessionId sessionOf(HubAction action) {
        if (action instanceof HubAction.Send send) {
            return send.session();
        } else if (action instanceof HubAction.SendChunk chunk) {
            return chunk.session();
        } else if (action instanceof HubAction.Goodbye goodbye) {
            return goodbye.session();
        }
        return ((HubAction.Close) action).session();
    }

    /** A peer that gave no node id and serves nothing joins. */
    SessionId join() {
        return join(PeerId.UNKNOWN, Optional.empty());
    }

    SessionId join(PeerId node, Optional<InetSocketAddress> serving) {
        SessionId s = new SessionId(++sessions);
        handle(new HubEvent.Joined(s, node, new InetSocketAddress("127.0.0.1", 40000 + (int) sessions), serving));
        return s;
    }

    void request(SessionId s, int... indices) {
        for (int i : indices) {
            handle(new HubEvent.Requested(s, i));
        }
    }

    /** From now on {@code s} takes the chunks it is handed but reports none written (its writes are slow). */
    void stall(SessionId s) {
        full.add(s);
    }

    /** {@code s} reports written what it was handed, and goes on writing at once; it can take more. */
    void drain(SessionId s) {
        full.remove(s);
        for (int i = unwritten.getOrDefault(s, 0); i > 0; i--) {
            handle(new HubEvent.ChunkWritten(s, true));
        }
        unwritten.remove(s);
    }

    /** Everything the hub asked of {@code s} since the last call, in order. */
    List<HubAction> actions(SessionId s) {
        List<HubAction> out = heard.getOrDefault(s, List.of());
        heard.remove(s);
        return out;
    }

    /** The messages and chunks {@code s} was sent since the last call. */
    List<Out> sent(SessionId s) {
        return actions(s).stream().filter(a -> a instanceof HubAction.Send || a instanceof HubAction.SendChunk)
                .map(Out::of).toList();
    }

    /** The chunks {@code s} was sent since the last call. */
    List<Integer> chunks(SessionId s) {
        return sent(s).stream().filter(o -> o.chunk() >= 0).map(Out::chunk).toList();
    }

    /** The messages {@code s} was sent since the last call. */
    List<Message> messages(SessionId s) {
        return sent(s).stream().flatMap(o -> o.message().stream()).toList();
    }

    /** Every action the hub asked for so far. */
    List<HubAction> all() {
        return all;
    }

    void advance(Duration d) {
        clock.runFor(d);
    }
}
