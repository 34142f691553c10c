package dev.kadshare.node.search;

import java.util.List;

/** One hit of a keyword search: the content, its link, and which of the searched words it matched. */
public record SearchResult(String contentId, String name, long size, String link, List<String> matched) {}
