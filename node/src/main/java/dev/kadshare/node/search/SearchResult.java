package dev.kadshare.node.search;

import java.util.List;

/**
 * One hit of a keyword search: the share and its link; which of the query's words it matched; the paths of
 * the files inside it whose names matched (empty if only the share's name did); how many independent publishers
 * (distinct signing keys) published records of it; and how many peers hold it,
 * as a GET_PEERS lookup found them (null if it was not counted: beyond the first hits, or no answer in time).
 */
public record SearchResult(String contentId, String name, long size, String link, List<String> matched,
                           List<String> files, int publishers, Integer peers) {
    public SearchResult withPeers(Integer count) {
        return new SearchResult(contentId, name, size, link, matched, files, publishers, count);
    }
}
