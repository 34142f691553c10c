package dev.kadshare.transfer.netty;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The events of a core that takes one at a time, on its loop: one that arrives while another is being handled (the
 * actions of one set off the next, a session's write its writability, say) waits its turn rather than re-entering
 * the core. Loop-only.
 */
final class Inbox<E> {
    private final Consumer<E> handler;
    private final Queue<E> pending = new ArrayDeque<>();
    private boolean handling;

    Inbox(Consumer<E> handler) {
        this.handler = handler;
    }

    /** Handles {@code event} now, or after the one being handled and those waiting before it. */
    void deliver(E event) {
        pending.add(event);
        if (handling) {
            return;
        }
        handling = true;
        try {
            for (E next = pending.poll(); next != null; next = pending.poll()) {
                handler.accept(next);
            }
        } finally {
            handling = false;
        }
    }
}
