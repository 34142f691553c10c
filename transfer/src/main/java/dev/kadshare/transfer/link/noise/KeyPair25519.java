package dev.kadshare.transfer.link.noise;

import java.util.random.RandomGenerator;

/** An X25519 key pair as raw bytes. */
public record KeyPair25519(byte[] privateKey, byte[] publicKey) {
    public KeyPair25519 {
        privateKey = privateKey.clone();
        publicKey = publicKey.clone();
    }

    /** The key pair of a given private key. */
    public static KeyPair25519 of(byte[] privateKey) {
        return new KeyPair25519(privateKey, X25519.publicKey(privateKey));
    }

    /** A fresh key pair from the randomness given (the edge passes a SecureRandom; vectors pass fixed bytes). */
    public static KeyPair25519 generate(RandomGenerator random) {
        byte[] priv = new byte[X25519.KEY_BYTES];
        random.nextBytes(priv);
        return of(priv);
    }

    @Override
    public byte[] privateKey() {
        return privateKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public String toString() {
        return "KeyPair25519[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
    }
}
