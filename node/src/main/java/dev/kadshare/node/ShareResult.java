package dev.kadshare.node;

/** What sharing a file produced: its id, its link, and how many DHT nodes took the announcement. */
public record ShareResult(String contentId, String name, long size, String link, int announcedTo) {}
