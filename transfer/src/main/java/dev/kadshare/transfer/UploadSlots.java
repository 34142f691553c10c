package dev.kadshare.transfer;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The upload slots of one content: at most {@code max} connections are served (unchoked) at once; the
 * others wait in arrival order. {@link #rotate()} moves the longest-served connection to the back of the
 * queue and serves the longest-waiting one, so one greedy peer cannot hold a slot for ever. Thread-safe:
 * sessions on several event loops share it; members must only hand the news to their own loop.
 */
public final class UploadSlots {
    /** One connection competing for a slot. */
    public interface Member {
        void choke();

        void unchoke();
    }

    private final int max;
    private final Set<Member> served = new LinkedHashSet<>(); // insertion order: longest served first
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
            served.add(member);
            return true;
        }
        waiting.add(member);
        return false;
    }

    /** Removes a connection (closed); its slot, if it had one, goes to the longest-waiting one. */
    public synchronized void leave(Member member) {
        waiting.remove(member);
        if (served.remove(member)) {
            promote();
        }
    }

    /** Chokes the longest-served connection and unchokes the longest-waiting one, if anyone waits. */
    public synchronized void rotate() {
        if (waiting.isEmpty() || served.isEmpty()) {
            return;
        }
        Iterator<Member> oldest = served.iterator();
        Member out = oldest.next();
        oldest.remove();
        promote();
        waiting.add(out);
        out.choke();
    }

    private void promote() {
        Iterator<Member> next = waiting.iterator();
        if (next.hasNext() && served.size() < max) {
            Member in = next.next();
            next.remove();
            served.add(in);
            in.unchoke();
        }
    }

    public synchronized int servedCount() {
        return served.size();
    }
}
