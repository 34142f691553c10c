package dev.kadshare.transfer.content;

/** A 256-bit content id: the SHA-256 of a manifest's canonical bytes. */
public final class ContentId extends Id256 {
    private ContentId(byte[] bytes) {
        super(bytes);
    }

    /** Wraps a copy of exactly 32 bytes. */
    public static ContentId of(byte[] bytes) {
        return new ContentId(checkedCopy(bytes, "content id"));
    }

    /** Parses 64 hex digits (either case); anything else is an IllegalArgumentException. */
    public static ContentId fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("content id must be " + LENGTH * 2 + " hex digits");
        }
        // HexFormat.parseHex throws IllegalArgumentException on a non-hex character.
        return new ContentId(HEX.parseHex(hex));
    }
}
