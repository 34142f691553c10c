package dev.kadshare.dht.node;

import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.lookup.LookupAnswer;
import dev.kadshare.dht.routing.Contact;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Drives one {@link Lookup} over the network: sends what it asks for and feeds back what comes in. A query
 * still unanswered after its contact's adaptive timeout is reported slow, so the lookup moves its slot on
 * while the request itself stays open until the RPC's own (ceiling) timeout. A lookup still running at its time
 * limit ends with what it has ({@link Lookup.Bound#TIME}).
 */
final class IterativeLookup {
    private final Lookup lookup;
    private final Function<Contact, CompletableFuture<LookupAnswer>> query;
    private final Function<Contact, Duration> patience;
    private final Scheduler scheduler;
    private final CompletableFuture<Lookup> done = new CompletableFuture<>();

    private IterativeLookup(Lookup lookup, Function<Contact, CompletableFuture<LookupAnswer>> query,
                            Function<Contact, Duration> patience, Scheduler scheduler) {
        this.lookup = lookup;
        this.query = query;
        this.patience = patience;
        this.scheduler = scheduler;
    }

    /**
     * Runs {@code lookup} until its goal is met, a bound stops it or {@code timeLimit} passes; the future completes
     * on the node's thread. {@code patience} says how long a contact may take before it counts as slow.
     */
    static CompletableFuture<Lookup> run(Lookup lookup, Function<Contact, CompletableFuture<LookupAnswer>> query,
                                         Function<Contact, Duration> patience, Scheduler scheduler, Duration timeLimit) {
        IterativeLookup run = new IterativeLookup(lookup, query, patience, scheduler);
        run.pump();
        if (!run.done.isDone()) {
            Scheduler.Cancellable limit = scheduler.schedule(timeLimit, () -> {
                if (!run.done.isDone()) {
                    lookup.timeUp();
                    run.done.complete(lookup);
                }
            });
            run.done.whenComplete((l, e) -> limit.cancel());
        }
        return run.done;
    }

    private void pump() {
        if (done.isDone()) {
            return;
        }
        for (Contact contact : lookup.nextQueries()) {
            CompletableFuture<LookupAnswer> answer = query.apply(contact);
            Scheduler.Cancellable slow = answer.isDone() ? () -> { } : scheduler.schedule(patience.apply(contact), () -> {
                if (!answer.isDone() && !done.isDone()) {
                    lookup.onSlow(contact);
                    pump();
                }
            });
            answer.whenComplete((a, failure) -> {
                slow.cancel();
                if (done.isDone()) {
                    return; // a straggler: the lookup already has what it needed
                }
                if (failure == null) {
                    lookup.onAnswer(contact, a);
                } else {
                    lookup.onFailure(contact);
                }
                pump();
            });
        }
        if (lookup.isFinished()) {
            done.complete(lookup);
        }
    }
}
