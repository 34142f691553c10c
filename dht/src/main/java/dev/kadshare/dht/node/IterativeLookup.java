package dev.kadshare.dht.node;

import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.lookup.LookupAnswer;
import dev.kadshare.dht.routing.Contact;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Drives one {@link Lookup} over the network: sends what it asks for and feeds back what comes in. */
final class IterativeLookup {
    private final Lookup lookup;
    private final Function<Contact, CompletableFuture<LookupAnswer>> query;
    private final CompletableFuture<Lookup> done = new CompletableFuture<>();

    private IterativeLookup(Lookup lookup, Function<Contact, CompletableFuture<LookupAnswer>> query) {
        this.lookup = lookup;
        this.query = query;
    }

    /** Runs {@code lookup} to completion; the future completes on the node's thread. */
    static CompletableFuture<Lookup> run(Lookup lookup, Function<Contact, CompletableFuture<LookupAnswer>> query) {
        IterativeLookup run = new IterativeLookup(lookup, query);
        run.pump();
        return run.done;
    }

    private void pump() {
        if (done.isDone()) {
            return;
        }
        for (Contact contact : lookup.nextQueries()) {
            query.apply(contact).whenComplete((answer, failure) -> {
                if (failure == null) {
                    lookup.onAnswer(contact, answer);
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
