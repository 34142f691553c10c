package dev.kadshare.transfer.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzzes the manifest decoder, which reads what a peer sends: bytes are a manifest or a
 * MalformedManifestException, nothing else, and the format is canonical, so a manifest that decodes
 * encodes back to exactly the bytes it came from (its content id is their hash).
 */
class ManifestFuzzTest {
    /** Seeds: the canonical bytes of real manifests (the committed corpus adds edge cases and findings). */
    static Stream<byte[]> manifests() {
        return SampleManifests.all().map(Manifest::canonicalBytes);
    }

    @MethodSource("manifests")
    @FuzzTest
    void decode(byte[] bytes) {
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
