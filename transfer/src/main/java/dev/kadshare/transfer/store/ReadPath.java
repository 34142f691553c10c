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
    DIRECT;

    /**
     * The largest block size O_DIRECT is aligned to, for reads and writes alike: files on a file system that asks for
     * more are written and read through the page cache.
     */
    public static final int MAX_DIRECT_ALIGNMENT = 64 << 10;
}
