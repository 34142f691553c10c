package dev.kadshare.net;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The newest {@code max} distinct elements heard, oldest first: one heard again becomes the newest, and one past
 * {@code max} pushes out the oldest. So a source that keeps naming new ones (a LAN host naming port after port) pushes
 * out its own, and never keeps out one heard after it. Not thread-safe.
 */
public final class NewestKept<T> {
    private final int max;
    private final Set<T> kept = new LinkedHashSet<>();

    public NewestKept(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max " + max);
        }
        this.max = max;
    }

    /** Keeps {@code element} as the newest; true if it was not kept before. */
    public boolean add(T element) {
        boolean fresh = !kept.remove(element);
        kept.add(element);
        if (kept.size() > max) {
            kept.remove(kept.iterator().next());
        }
        return fresh;
    }

    /** What is kept, oldest first (a view). */
    public Set<T> elements() {
        return Collections.unmodifiableSet(kept);
    }
}
