package dev.kadshare.dht.node;

import java.net.InetSocketAddress;

/** A request got no matching response within the RPC timeout. */
public final class RpcTimeoutException extends RuntimeException {
    public RpcTimeoutException(String requestType, InetSocketAddress to) {
        super(requestType + " to " + to + " timed out", null, false, false);
    }
}
