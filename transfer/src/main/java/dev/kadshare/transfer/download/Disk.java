package dev.kadshare.transfer.download;

/**
 * Where a download's {@link StoreJob}s run, as libtorrent's {@code disk_interface}: the disk owns the store, does
 * the slow work (hashing, files) wherever it likes, and hands each job's {@link StoreResult} back to the download's
 * own thread, as an event. The download never touches a file itself.
 */
public interface Disk {
    /**
     * Starts {@code job}. Its result reaches the download later, as an event on the download's own thread, after
     * the actions of the event at hand (never from within this call).
     */
    void submit(StoreJob job);
}
