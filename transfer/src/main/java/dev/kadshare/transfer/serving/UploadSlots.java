package dev.kadshare.transfer.serving;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The upload slots of one content: at most {@code max} connections are served (unchoked) at once; the others wait in
 * arrival order. {@link #rotate()} moves the longest-served connection to the back of the queue and serves the
 * longest-waiting one, so one greedy peer cannot hold a slot for ever; before that, every served connection that
 * asked for nothing during the whole last period yields its slot too (it wants nothing we have, and an idle slot
 * wastes upload someone waiting could use). Requests are reported with {@link #requested}. Pure: it returns the
 * {@link Change}s to tell the members; no clock (its owner calls {@link #rotate()} periodically), not thread-safe.
 *
 * @param <M> how the owner names a connection (a hub's session, a simulated host's peer)
 */
public final class UploadSlots<M> {
    /** A connection's slot changed: tell its peer (UNCHOKE or CHOKE). */
    public sealed interface Change<M> {
        M member();

        /** {@code member} is served from now on. */
        record Unchoked<M>(M member) implements Change<M> {
        }

        /** {@code member} is not served any more; its queued requests count as cancelled. */
        record Choked<M>(M member) implements Change<M> {
        }
    }

    /** What a served connection did since the last rotation. */
    private static final class Tenure {
        /** Unchoked before the last rotation, so it had a whole period to ask. */
        boolean wholePeriod;
        boolean asked;
    }

    private final int max;
    private final Map<M, Tenure> served = new LinkedHashMap<>(); // insertion order: longest served first
    private final Set<M> waiting = new LinkedHashSet<>();

    public UploadSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.max = max;
    }

    /** Adds a connection; true when it is served at once, false when it starts choked. */
    public boolean join(M member) {
        if (served.size() < max) {
            served.put(member, new Tenure());
            return true;
        }
        waiting.add(member);
        return false;
    }

    /** Removes a connection (closed); its slot, if it had one, goes to the longest-waiting one. */
    public List<Change<M>> leave(M member) {
        waiting.remove(member);
        if (served.remove(member) == null) {
            return List.of();
        }
        return promote().<List<Change<M>>>map(List::of).orElse(List.of());
    }

    /** {@code member} asked for a chunk: it is using its slot. */
    public void requested(M member) {
        Tenure tenure = served.get(member);
        if (tenure != null) {
            tenure.asked = true;
        }
    }

    /**
     * If anyone waits: every connection served through the whole last period without asking for anything yields
     * its slot, then the longest-served one does; the longest-waiting ones take the free slots. Returns the changes,
     * those who gain a slot first.
     */
    public List<Change<M>> rotate() {
        List<M> yielding = new ArrayList<>();
        for (Map.Entry<M, Tenure> e : served.entrySet()) {
            if (yielding.size() < waiting.size() && e.getValue().wholePeriod && !e.getValue().asked) {
                yielding.add(e.getKey());
            }
        }
        if (yielding.size() < waiting.size()) {
            served.keySet().stream().filter(m -> !yielding.contains(m)).findFirst().ifPresent(yielding::add);
        }
        yielding.forEach(served::remove);
        for (Tenure tenure : served.values()) {
            tenure.wholePeriod = true;
            tenure.asked = false;
        }
        List<Change<M>> changes = new ArrayList<>();
        for (int i = 0; i < yielding.size(); i++) {
            promote().ifPresent(changes::add);
        }
        for (M out : yielding) {
            waiting.add(out);
            changes.add(new Change.Choked<>(out));
        }
        return changes;
    }

    private Optional<Change<M>> promote() {
        Iterator<M> next = waiting.iterator();
        if (next.hasNext() && served.size() < max) {
            M in = next.next();
            next.remove();
            served.put(in, new Tenure());
            return Optional.of(new Change.Unchoked<>(in));
        }
        return Optional.empty();
    }

    public int servedCount() {
        return served.size();
    }
}
