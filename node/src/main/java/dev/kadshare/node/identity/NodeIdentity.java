package dev.kadshare.node.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import dev.kadshare.node.datadir.AtomicFiles;

/** A node's persistent Ed25519 key pair; the node id is the SHA-256 of its public key. */
public final class NodeIdentity {
    private static final HexFormat HEX = HexFormat.of();

    private final Ed25519PrivateKeyParameters privateKey;

    private NodeIdentity(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
    }

    /** Loads the key stored at {@code file}, or creates and stores a new one when there is none. */
    public static NodeIdentity loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String text = Files.readString(file).trim();
            byte[] seed;
            try {
                seed = HEX.parseHex(text);
            } catch (IllegalArgumentException e) {
                throw new IOException("identity key " + file + " is not hex: " + e.getMessage());
            }
            if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
                throw new IOException("identity key " + file + " has " + seed.length + " bytes, expected "
                        + Ed25519PrivateKeyParameters.KEY_SIZE);
            }
            return new NodeIdentity(new Ed25519PrivateKeyParameters(seed, 0));
        }
        NodeIdentity created = new NodeIdentity(new Ed25519PrivateKeyParameters(new SecureRandom()));
        AtomicFiles.write(file, (HEX.formatHex(created.privateKey.getEncoded()) + "\n").getBytes(), true);
        return created;
    }

    /** The 32-byte Ed25519 seed (RFC 8032 private key) the key pair derives from: the transfer links' identity. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    public byte[] publicKey() {
        return privateKey.generatePublicKey().getEncoded();
    }

    /** The 32-byte node id: SHA-256 of the public key. */
    public byte[] nodeId() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(publicKey());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
