package dev.kadshare.node.config;

/** A setting whose value cannot be used; the message starts with where it was given. */
public final class InvalidSetting extends IllegalArgumentException {
    public InvalidSetting(String origin, String reason) {
        super(origin + ": " + reason);
    }
}
