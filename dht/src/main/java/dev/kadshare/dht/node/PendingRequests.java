package dev.kadshare.dht.node;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Our outstanding requests by transaction id. A response settles one only if it comes from the address
 * the request went to, with its transaction id, the matching response type and, when we asked a known contact,
 * that contact's id: a node answering under another id than the one asked is not the node we meant.
 */
final class PendingRequests {
    /** How an inbound response related to our outstanding requests. */
    enum Match { MATCHED, UNKNOWN_TRANSACTION, WRONG_ADDRESS, WRONG_TYPE, WRONG_ID }

    private record Pending(InetSocketAddress to, Optional<NodeId> asked, Request request, CompletableFuture<Response> result,
                           Scheduler.Cancellable timeout, long sentNanos) {
    }

    private final Map<Long, Pending> byTxId = new HashMap<>();

    boolean isPending(long txId) {
        return byTxId.containsKey(txId);
    }

    /** {@code asked}: the id of the contact asked, or empty for an address whose id we do not know yet (a seed). */
    void add(InetSocketAddress to, Optional<NodeId> asked, Request request, CompletableFuture<Response> result,
             Scheduler.Cancellable timeout, long sentNanos) {
        byTxId.put(request.txId(), new Pending(to, asked, request, result, timeout, sentNanos));
    }

    /** Checks whether {@code response} answers one of our requests, without settling it. */
    Match match(InetSocketAddress from, Response response) {
        Pending p = byTxId.get(response.txId());
        if (p == null) {
            return Match.UNKNOWN_TRANSACTION;
        }
        if (!p.to.equals(from)) {
            // Possibly spoofed: keep waiting for the real answer.
            return Match.WRONG_ADDRESS;
        }
        if (!p.request.responseType().isInstance(response)) {
            return Match.WRONG_TYPE;
        }
        if (p.asked.isPresent() && !p.asked.get().equals(response.sender())) {
            // Keep waiting: the request times out and counts against the contact asked.
            return Match.WRONG_ID;
        }
        return Match.MATCHED;
    }

    /**
     * Completes the request a {@link Match#MATCHED} response answers. Separate from {@link #match} so the
     * caller can update its state first: completion runs the waiting callbacks synchronously. Returns when
     * the request was sent (the {@code sentNanos} it was added with), or -1 if it was not outstanding.
     */
    long complete(Response response) {
        Pending p = byTxId.remove(response.txId());
        if (p == null) {
            return -1;
        }
        p.timeout.cancel();
        p.result.complete(response);
        return p.sentNanos;
    }

    /** Fails the request if it is still outstanding; returns whether it was. */
    boolean expire(long txId) {
        Pending p = byTxId.remove(txId);
        if (p == null) {
            return false;
        }
        p.result.completeExceptionally(new RpcTimeoutException(p.request.getClass().getSimpleName(), p.to));
        return true;
    }

    void failAll(RuntimeException cause) {
        for (Pending p : byTxId.values()) {
            p.timeout.cancel();
            p.result.completeExceptionally(cause);
        }
        byTxId.clear();
    }
}
