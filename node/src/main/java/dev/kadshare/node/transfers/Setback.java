package dev.kadshare.node.transfers;

import java.util.Optional;

/**
 * Why a transfer is not downloading and will look for peers again. Setbacks of one kind (record class) are one
 * cause: the log warns when the kind changes, not at each attempt.
 */
public sealed interface Setback {
    /** One line, for status and the log. */
    String text();

    /** The exception behind it, if any: logged once, at DEBUG. */
    default Optional<Throwable> trace() {
        return Optional.empty();
    }

    /** The DHT knows no holder (and the link names none). */
    record NoPeersFound() implements Setback {
        @Override
        public String text() {
            return "no peers found yet";
        }
    }

    /** The DHT lookup itself failed (say, no contacts to ask). */
    record LookupFailed(Throwable failure) implements Setback {
        @Override
        public String text() {
            return "the peer lookup failed: " + Transfer.rootMessage(failure);
        }

        @Override
        public Optional<Throwable> trace() {
            return Optional.of(failure);
        }
    }

    /**
     * Peers were found, but none could be reached or served the content (stale DHT entries, peers gone);
     * {@code trace}: how the download failed.
     */
    record PeersUnavailable(int peers, Optional<Throwable> trace) implements Setback {
        @Override
        public String text() {
            return peers == 1 ? "the peer found is unreachable or lacks the content"
                    : "the " + peers + " peers found are unreachable or lack the content";
        }
    }

    /** The download had peers that answered, and lost them all; {@code trace}: how the download failed. */
    record PeersLost(int peers, Optional<Throwable> trace) implements Setback {
        @Override
        public String text() {
            return peers == 1 ? "its peer went away" : "its " + peers + " peers went away";
        }
    }
}
