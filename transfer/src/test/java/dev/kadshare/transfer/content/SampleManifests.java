package dev.kadshare.transfer.content;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** A few real manifests of each kind, as fuzz seeds: single files and directories, empty and chunked. */
public final class SampleManifests {
    private SampleManifests() {
    }

    public static Stream<Manifest> all() {
        return Stream.of(
                Manifest.of("empty", 0, 4, List.of()),
                Manifest.of("hello.txt", 10, 4, hashes(3)),
                Manifest.of("ümlaut 🎉.bin", 1 << 20, Manifest.MAX_CHUNK_SIZE, hashes(1)),
                Manifest.ofFiles("dir", List.of(new ContentFile("a/b.txt", 10), new ContentFile("c", 0)), 4, hashes(3)),
                Manifest.ofFiles("nested", List.of(new ContentFile("x/y/z", 1), new ContentFile("x/w", 7)), 8, hashes(1)));
    }

    private static List<byte[]> hashes(int count) {
        return IntStream.range(0, count).mapToObj(i -> Sha256.of(new byte[] {(byte) i})).toList();
    }
}
