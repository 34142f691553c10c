package dev.kadshare.node.transfers;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a transfer that cannot go on (no peers found, peers gone) looks for peers again, and when it gives up: the
 * waits double from 1 s up to 60 s, and restart at 1 s once the transfer makes progress; after 10 minutes without
 * progress the next setback ends it. Says whether a setback is a new cause (worth a warning) or the same one again,
 * and why the transfer waits, with the time left. Time is given to it, never read.
 */
final class Retry {
    static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);

    /** What to do after a setback. */
    sealed interface Decision {
        /** Look again after {@code delay}; {@code newCause} when its cause differs from the last setback's. */
        record Wait(Duration delay, boolean newCause) implements Decision {}

        /** Stop: the transfer fails with {@code error}. */
        record GiveUp(String error) implements Decision {}
    }

    private final Duration firstWait;
    private final Duration maxWait;
    private final Duration giveUpAfter;
    /** The start, or the latest progress. */
    private Instant progressAt = Instant.MIN;
    private int setbacks;
    private Optional<Setback> last = Optional.empty();
    /** When the next attempt is due; empty while one is under way. */
    private Optional<Instant> nextAttempt = Optional.empty();

    Retry() {
        this(FIRST_WAIT, MAX_WAIT, GIVE_UP_AFTER);
    }

    Retry(Duration firstWait, Duration maxWait, Duration giveUpAfter) {
        this.firstWait = firstWait;
        this.maxWait = maxWait;
        this.giveUpAfter = giveUpAfter;
    }

    /** The transfer (re)starts: no setback so far. */
    void started(Instant now) {
        progressed(now);
    }

    /** The transfer got somewhere (a manifest, a chunk): the waits start short again, and a setback is news. */
    void progressed(Instant now) {
        progressAt = now;
        setbacks = 0;
        last = Optional.empty();
        nextAttempt = Optional.empty();
    }

    /** The next attempt is under way. */
    void attempting() {
        nextAttempt = Optional.empty();
    }

    Decision setback(Setback cause, Instant now) {
        boolean newCause = last.map(l -> l.getClass() != cause.getClass()).orElse(true);
        last = Optional.of(cause);
        setbacks++;
        Duration without = Duration.between(progressAt, now);
        if (without.compareTo(giveUpAfter) >= 0) {
            nextAttempt = Optional.empty();
            return new Decision.GiveUp(cause.text() + "; gave up after " + minutes(without) + " without progress ("
                    + setbacks + " attempts)");
        }
        Duration wait = firstWait.multipliedBy(1L << Math.min(setbacks - 1, 20));
        if (wait.compareTo(maxWait) > 0) {
            wait = maxWait;
        }
        nextAttempt = Optional.of(now.plus(wait));
        return new Decision.Wait(wait, newCause);
    }

    /** Why the transfer is not downloading, and what happens next; empty before any setback since progress. */
    Optional<String> reason(Instant now) {
        return last.map(cause -> cause.text() + nextAttempt
                .map(at -> "; next lookup in " + secondsUntil(now, at) + " s")
                .orElse("; looking for peers again"));
    }

    private static long secondsUntil(Instant now, Instant at) {
        long millis = Math.max(0, Duration.between(now, at).toMillis());
        return (millis + 999) / 1000;
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 1 ? m + " min" : d.toSeconds() + " s";
    }
}
