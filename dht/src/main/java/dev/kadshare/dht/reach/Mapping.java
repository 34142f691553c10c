package dev.kadshare.dht.reach;

/** How a node's UDP endpoint appears to others, as {@link MappingClassifier} judges it from their observations. */
public enum Mapping {
    /** Too few observers, or they disagree without a pattern. */
    UNKNOWN,
    /** Observers see the endpoint we bound: nothing translates our address, others can reach us. */
    OPEN,
    /** Translated, but every observer sees the same external endpoint (a cone-like NAT): hole punching works. */
    PORT_PRESERVING,
    /** Translated to a different external port per destination: punching fails, a relay is needed. */
    SYMMETRIC
}
