package dev.kadshare.dht.wire;

/** Why an inbound datagram was dropped by the codec. */
public enum RejectReason {
    EMPTY,
    OVERSIZED,
    UNSUPPORTED_VERSION,
    UNKNOWN_TYPE,
    TRUNCATED,
    MALFORMED
}
