package dev.kadshare.node;

/** What an id prefix names among a node's transfers and shares: one content, none, or several. */
public sealed interface IdMatch {
    record One(String contentId) implements IdMatch {}

    record None(String prefix) implements IdMatch {}

    record Several(String prefix, int count) implements IdMatch {}
}
