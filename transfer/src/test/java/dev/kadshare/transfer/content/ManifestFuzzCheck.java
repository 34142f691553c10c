package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

/**
 * The fuzz check of the manifest decoder, which reads what a peer sends, run by
 * {@link dev.kadshare.transfer.TransferDecodersFuzzTest}: bytes are a manifest or a MalformedManifestException,
 * nothing else, and the format is canonical, so a manifest that decodes encodes back to exactly the bytes it came
 * from (its content id is their hash).
 */
public final class ManifestFuzzCheck {
    private ManifestFuzzCheck() {
    }

    /** Seeds: the canonical bytes of real manifests (the committed corpus adds edge cases and findings). */
    public static Stream<byte[]> manifests() {
        return SampleManifests.all().map(Manifest::canonicalBytes);
    }

    /** Checks one manifest's bytes. */
    public static void decode(byte[] bytes) {
        Manifest manifest;
        try {
            manifest = Manifest.decode(bytes);
        } catch (MalformedManifestException e) {
            return;
        }
        assertArrayEquals(bytes, manifest.canonicalBytes());
        assertEquals(ContentId.of(Sha256.of(bytes)), manifest.contentId());
    }
}
