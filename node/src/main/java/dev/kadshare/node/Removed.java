package dev.kadshare.node;

/** What removing a transfer or share did: the content id it removed, and whether its data was deleted. */
public record Removed(String removed, boolean dataDeleted) {}
