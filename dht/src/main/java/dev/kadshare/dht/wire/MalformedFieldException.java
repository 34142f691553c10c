package dev.kadshare.dht.wire;

/** Thrown inside the codec for a field that parses but is invalid; turned into a rejection, never escapes. */
final class MalformedFieldException extends RuntimeException {
    MalformedFieldException(String message) {
        super(message, null, false, false);
    }
}
