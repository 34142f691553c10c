package dev.kadshare.dht.node;

/** Bootstrap failed: none of the seeds answered a ping. */
public final class NoSeedAnsweredException extends RuntimeException {
    public NoSeedAnsweredException(int seeds) {
        super("none of " + seeds + " seeds answered");
    }
}
