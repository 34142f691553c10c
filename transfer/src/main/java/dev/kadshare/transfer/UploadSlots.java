package dev.kadshare.transfer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The upload slots of one content: at most {@code max} connections are served (unchoked) at once; the
 * others wait in arrival order. {@link #rotate()} moves the longest-served connection to the back of the
 * queue and serves the longest-waiting one, so one greedy peer cannot hold a slot for ever; before that,
 * every served connection that asked for nothing during the whole last period yields its slot too (it
 * wants nothing we have, and an idle slot wastes upload someone waiting could use). Sessions report each
 * request with {@link #requested}. Thread-safe: sessions on several event loops share it; members must
 * only hand the news to their own loop. No clock: the owner calls {@link #rotate()} periodically.
 */
public final class UploadSlots {
    /** One connection competing for a slot. */
    public interface Member {
        void choke();

        void unchoke();
    }

    /** What a served connection did since the last rotation. */
    private static final class Tenure {
        /** Unchoked before the last rotation, so it had a whole period to ask. */
        boolean wholePeriod;
        boolean asked;
    }

    private final int max;
    private final Map<Member, Tenure> served = new LinkedHashMap<>(); // insertion order: longest served first
    private final Set<Member> waiting = new LinkedHashSet<>();

    public UploadSlots(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.max = max;
    }

    /** Adds a connection; true when it is served at once, false when it starts choked. */
    public synchronized boolean join(Member member) {
        if (served.size() < max) {
            served.put(member, new Tenure());
            return true;
        }
        waiting.add(member);
        return false;
    }

    /** Removes a connection (closed); its slot, if it had one, goes to the longest-waiting one. */
    public synchronized void leave(Member member) {
        waiting.remove(member);
        if (served.remove(member) != null) {
            promote();
        }
    }

    /** {@code member} asked for a chunk: it is using its slot. */
    public synchronized void requested(Member member) {
        Tenure tenure = served.get(member);
        if (tenure != null) {
            tenure.asked = true;
        }
    }

    /**
     * If anyone waits: every connection served through the whole last period without asking for anything
     * yields its slot, then the longest-served one does; the longest-waiting ones take the free slots.
     */
    public synchronized void rotate() {
        List<Member> yielding = new ArrayList<>();
        for (Map.Entry<Member, Tenure> e : served.entrySet()) {
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
        for (int i = 0; i < yielding.size(); i++) {
            promote();
        }
        for (Member out : yielding) {
            waiting.add(out);
            out.choke();
        }
    }

    private void promote() {
        Iterator<Member> next = waiting.iterator();
        if (next.hasNext() && served.size() < max) {
            Member in = next.next();
            next.remove();
            served.put(in, new Tenure());
            in.unchoke();
        }
    }

    public synchronized int servedCount() {
        return served.size();
    }
}
