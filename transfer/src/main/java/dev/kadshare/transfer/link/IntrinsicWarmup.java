package dev.kadshare.transfer.link;

import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.link.noise.CipherState;
import dev.kadshare.transfer.link.noise.NoiseException;
import java.security.MessageDigest;

/**
 * Gets the JIT to compile the link cipher's and the chunk hash's intrinsics before the first download needs them.
 * A record is one cipher call of 64 KiB, so the JDK's GHASH and SHA-256 block loops are entered too rarely to be
 * compiled early: on a fresh JVM the first ~100 MB of a link ran at a few percent of its later speed. Many tiny calls
 * reach the compile thresholds in a fraction of a second. Blocking: run it off the event loops.
 */
public final class IntrinsicWarmup {
    /** Calls per path: above C2's invocation threshold (measured: 20,000 tiny records make the first 128 MB fast). */
    static final int CALLS = 20_000;
    private static final int SMALL = 64;

    private IntrinsicWarmup() {
    }

    /** Seals and opens {@link #CALLS} tiny records and hashes as many tiny inputs; returns how many records opened. */
    public static int run() {
        byte[] key = new byte[32]; // a throwaway key: nothing sealed here leaves this method
        CipherState sealer = CipherState.keyed(key);
        CipherState opener = CipherState.keyed(key);
        byte[] plain = new byte[SMALL];
        byte[] sealed = new byte[SMALL + CipherState.TAG_BYTES];
        int opened = 0;
        try {
            MessageDigest sha256 = Sha256.newDigest();
            for (int i = 0; i < CALLS; i++) {
                int n = sealer.encrypt(plain, 0, SMALL, sealed, 0);
                opened += opener.decrypt(sealed, 0, n, plain, 0) == SMALL ? 1 : 0;
                sha256.digest(sealed);
            }
        } catch (NoiseException e) {
            throw new IllegalStateException("a record sealed with the same key must open", e);
        }
        return opened;
    }
}
