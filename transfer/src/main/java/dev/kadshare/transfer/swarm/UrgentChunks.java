package dev.kadshare.transfer.swarm;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Chunk ranges that readers wait for (a player reading a file while it downloads), each under the ticket its reader
 * holds: their chunks are asked for before any other, the lowest first. A reader moves its range by asking again
 * under the same ticket, and gives it up when it goes away.
 */
final class UrgentChunks {
    /** Chunks {@code first..last}, both included. */
    private record Range(int first, int last) {}

    private final Map<Long, Range> ranges = new LinkedHashMap<>();

    /** Ticket {@code ticket} now waits for chunks {@code first..last} (replacing what it waited for before). */
    void want(long ticket, int first, int last) {
        ranges.put(ticket, new Range(first, last));
    }

    void release(long ticket) {
        ranges.remove(ticket);
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * The lowest chunk of any range that {@code has} holds, {@code avoid} does not, and {@code pickable} accepts (still
     * missing, not yet requested); -1 if there is none.
     */
    int pick(BitSet has, BitSet avoid, IntPredicate pickable) {
        int best = -1;
        for (Range r : ranges.values()) {
            for (int i = has.nextSetBit(r.first()); i >= 0 && i <= r.last() && (best < 0 || i < best);
                    i = has.nextSetBit(i + 1)) {
                if (!avoid.get(i) && pickable.test(i)) {
                    best = i;
                    break;
                }
            }
        }
        return best;
    }

    /** The lowest chunk of any range that {@code pickable} accepts; -1 if there is none. */
    int pick(IntPredicate pickable) {
        int best = -1;
        for (Range r : ranges.values()) {
            for (int i = r.first(); i <= r.last() && (best < 0 || i < best); i++) {
                if (pickable.test(i)) {
                    best = i;
                    break;
                }
            }
        }
        return best;
    }
}
