package dev.kadshare.simulation.nat;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One home router's NAT, as Linux conntrack with nftables masquerade behaves: an outbound packet makes (or refreshes)
 * a flow towards its destination endpoint, mapped to an external port (the host's own port when port-preserving, a
 * random one per destination when symmetric); an inbound packet passes only on a live flow from exactly the endpoint
 * the flow was opened towards (address- and port-dependent filtering), which refreshes it. A flow dies after 30 s
 * unanswered or 120 s after its last packet once answered (conntrack's UDP defaults; TCP's SYN_SENT also lasts
 * 120 s). One host per router, as in a home with one machine running kadshare.
 */
public final class NatBox {
    /** Transport protocol of a flow: TCP and UDP flows never mix. */
    public enum Protocol { UDP, TCP }

    static final long UNREPLIED_NANOS = 30_000_000_000L;
    static final long REPLIED_NANOS = 120_000_000_000L;
    private static final int FIRST_RANDOM_PORT = 1024;
    /** Sweeps dead flows every this many new ones, so a busy host's table stays the size of its live flows. */
    private static final int SWEEP_EVERY = 256;

    private record Key(Protocol protocol, int localPort, InetSocketAddress remote) {}

    private static final class Flow {
        final int externalPort;
        long lastPacket;
        boolean replied;

        Flow(int externalPort, long now) {
            this.externalPort = externalPort;
            this.lastPacket = now;
        }

        boolean aliveAt(long now) {
            return now - lastPacket < (replied ? REPLIED_NANOS : UNREPLIED_NANOS);
        }
    }

    private final NatKind kind;
    private final RandomGenerator random;
    private final Map<Key, Flow> flows = new HashMap<>();
    /** Symmetric only: the flow each external port belongs to. */
    private final Map<Integer, Key> byPort = new HashMap<>();
    private int newFlows;

    public NatBox(NatKind kind, RandomGenerator random) {
        if (kind == NatKind.OPEN) {
            throw new IllegalArgumentException("an open host has no NAT");
        }
        this.kind = kind;
        this.random = random;
    }

    /** A packet leaves the host from {@code localPort} to {@code remote} at {@code now}; returns its external port. */
    public int outbound(Protocol protocol, int localPort, InetSocketAddress remote, long now) {
        Key key = new Key(protocol, localPort, remote);
        Flow flow = flows.get(key);
        if (flow == null || !flow.aliveAt(now)) {
            if (flow != null) {
                forget(key, flow);
            }
            flow = new Flow(kind == NatKind.PORT_PRESERVING ? localPort : freePort(), now);
            flows.put(key, flow);
            if (kind == NatKind.SYMMETRIC) {
                byPort.put(flow.externalPort, key);
            }
            if (++newFlows % SWEEP_EVERY == 0) {
                sweep(now);
            }
        }
        flow.lastPacket = now;
        return flow.externalPort;
    }

    /** Whether a packet from {@code remote} to our {@code externalPort} at {@code now} reaches the host. */
    public boolean admits(Protocol protocol, int externalPort, InetSocketAddress remote, long now) {
        // Port-preserving: the external port is the host's own; symmetric: the port names the one flow it was made for.
        Key key = kind == NatKind.PORT_PRESERVING ? new Key(protocol, externalPort, remote) : byPort.get(externalPort);
        if (key == null || key.protocol() != protocol || !key.remote().equals(remote)) {
            return false;
        }
        Flow flow = flows.get(key);
        if (flow == null || flow.externalPort != externalPort || !flow.aliveAt(now)) {
            return false;
        }
        flow.replied = true;
        flow.lastPacket = now;
        return true;
    }

    /** Flows held, dead ones not yet swept included. */
    public int flows() {
        return flows.size();
    }

    private int freePort() {
        for (int i = 0; i < 64; i++) {
            int port = FIRST_RANDOM_PORT + random.nextInt(65536 - FIRST_RANDOM_PORT);
            if (!byPort.containsKey(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free external port after 64 draws: " + byPort.size() + " flows");
    }

    private void forget(Key key, Flow flow) {
        flows.remove(key);
        if (kind == NatKind.SYMMETRIC) {
            byPort.remove(flow.externalPort, key);
        }
    }

    private void sweep(long now) {
        for (Iterator<Map.Entry<Key, Flow>> it = flows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Flow> e = it.next();
            if (!e.getValue().aliveAt(now)) {
                it.remove();
                if (kind == NatKind.SYMMETRIC) {
                    byPort.remove(e.getValue().externalPort, e.getKey());
                }
            }
        }
    }
}
