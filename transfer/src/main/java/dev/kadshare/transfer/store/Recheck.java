package dev.kadshare.transfer.store;

/**
 * What hashing a resumed download's marked chunks again found.
 *
 * @param confirmed chunks whose bytes match the manifest
 * @param discarded chunks marked as verified whose bytes did not match: unmarked, to be fetched again
 */
public record Recheck(int confirmed, int discarded) {
}
