package dev.kadshare.transfer.store;

/** How a copy's files are best read when served: through the page cache, or around it. */
public enum ReadPath {
    /** A user's own files: they may well be cached, and nothing else reads them so cheaply. */
    PAGE_CACHE,
    /**
     * Files this node's downloads wrote around the page cache (O_DIRECT), so nothing of them is cached: reading them
     * through it costs a copy, and the kernel's read-ahead past a chunk of a partial file zero-fills the file's holes
     * into the cache, to be thrown away again when those chunks are written.
     */
    DIRECT
}
