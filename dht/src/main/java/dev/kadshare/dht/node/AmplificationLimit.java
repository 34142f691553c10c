package dev.kadshare.dht.node;

import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Response;

/**
 * The anti-amplification rule: no reply has more bytes than the request it answers, whoever the source claims to be, so
 * a spoofed request makes nobody a reflector. A reply too large is trimmed (fewer contacts, peers or values; a RECORDS
 * page says how many more remain), or not sent when even its empty form does not fit. Honest requesters pad their
 * requests ({@link RequestPadding}), so they get whole answers. Stateless: nothing is kept per source.
 */
final class AmplificationLimit {
    /** What may be sent in answer to a request of a given size. */
    sealed interface Fit {
        /** The reply as it was. */
        record Whole(byte[] datagram) implements Fit {
        }

        /** The reply with {@code cut} of its contacts, peers or values left out. */
        record Trimmed(byte[] datagram, int cut) implements Fit {
        }

        /** Larger than the request even empty: not sent. */
        record TooLarge() implements Fit {
        }
    }

    private AmplificationLimit() {
    }

    /** {@code reply} encoded, trimmed to at most {@code budget} bytes if need be. */
    static Fit fit(Response reply, int budget, MessageCodec codec) {
        byte[] whole = codec.encode(reply);
        if (whole.length <= budget) {
            return new Fit.Whole(whole);
        }
        int items = items(reply);
        // The longest prefix of the reply's list that fits, by bisection: a handful of encodings at most.
        int low = 0;
        int high = items - 1;
        byte[] best = null;
        int kept = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            byte[] candidate = codec.encode(firstOf(reply, mid));
            if (candidate.length <= budget) {
                best = candidate;
                kept = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best == null ? new Fit.TooLarge() : new Fit.Trimmed(best, items - kept);
    }

    /** How many contacts, peers or values the reply carries (the list that can be trimmed); 0 for the others. */
    private static int items(Response reply) {
        if (reply instanceof Nodes n) {
            return n.contacts().size();
        }
        if (reply instanceof Peers p) {
            return p.peers().isEmpty() ? p.nodes().size() : p.peers().size();
        }
        if (reply instanceof Records r) {
            return r.values().isEmpty() ? r.nodes().size() : r.values().size();
        }
        return 0;
    }

    /** {@code reply} with the first {@code n} items of its list only (a RECORDS page counts the rest as remaining). */
    private static Response firstOf(Response reply, int n) {
        if (reply instanceof Nodes x) {
            return new Nodes(x.txId(), x.sender(), x.observed(), x.contacts().subList(0, n));
        }
        if (reply instanceof Peers x) {
            return x.peers().isEmpty()
                    ? new Peers(x.txId(), x.sender(), x.observed(), x.token(), x.peers(), x.nodes().subList(0, n))
                    : new Peers(x.txId(), x.sender(), x.observed(), x.token(), x.peers().subList(0, n), x.nodes());
        }
        Records x = (Records) reply;
        if (x.values().isEmpty()) {
            return new Records(x.txId(), x.sender(), x.observed(), x.token(), x.values(), x.nodes().subList(0, n),
                    x.remaining());
        }
        int remaining = Math.min(GetRecords.MAX_SKIP, x.remaining() + x.values().size() - n);
        return new Records(x.txId(), x.sender(), x.observed(), x.token(), x.values().subList(0, n), x.nodes(), remaining);
    }
}
