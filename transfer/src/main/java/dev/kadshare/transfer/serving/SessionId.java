package dev.kadshare.transfer.serving;

/** One connection a hub serves, as the hub names it: unique among the sessions of one server. */
public record SessionId(long serial) {
}
