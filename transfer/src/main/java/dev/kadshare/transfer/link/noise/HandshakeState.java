package dev.kadshare.transfer.link.noise;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Noise's HandshakeState for {@link Pattern#XX} and {@link Pattern#IK} over 25519, AESGCM and SHA256: write and
 * read the handshake messages in turn, then {@link HandshakeStep.Done} carries the transport. No I/O; the
 * ephemeral key comes from the randomness given.
 */
public final class HandshakeState {
    /** Noise's limit on any message. */
    public static final int MAX_MESSAGE = 65535;

    private final Pattern pattern;
    private final boolean initiator;
    private final KeyPair25519 s;
    private final RandomGenerator random;
    private final SymmetricState symmetric;
    private Optional<KeyPair25519> e = Optional.empty();
    private Optional<byte[]> rs;
    private Optional<byte[]> re = Optional.empty();
    private int next;

    private HandshakeState(Pattern pattern, boolean initiator, byte[] prologue, KeyPair25519 s,
            Optional<byte[]> rs, RandomGenerator random) {
        this.pattern = pattern;
        this.initiator = initiator;
        this.s = s;
        this.rs = rs.map(byte[]::clone);
        this.random = random;
        this.symmetric = new SymmetricState(pattern.protocolName());
        symmetric.mixHash(prologue);
        if (pattern.responderStaticKnown()) {
            symmetric.mixHash(initiator ? this.rs.orElseThrow() : s.publicKey());
        }
    }

    /** The initiator of {@code pattern}; {@code remoteStatic} is required for IK and ignored for XX. */
    public static HandshakeState initiator(Pattern pattern, byte[] prologue, KeyPair25519 s,
            Optional<byte[]> remoteStatic, RandomGenerator random) {
        if (pattern.responderStaticKnown() && remoteStatic.isEmpty()) {
            throw new IllegalArgumentException(pattern + " needs the responder's static key");
        }
        return new HandshakeState(pattern, true, prologue, s,
                pattern.responderStaticKnown() ? remoteStatic : Optional.empty(), random);
    }

    public static HandshakeState responder(Pattern pattern, byte[] prologue, KeyPair25519 s, RandomGenerator random) {
        return new HandshakeState(pattern, false, prologue, s, Optional.empty(), random);
    }

    /** Whether it is this side's turn to write. */
    public boolean writes() {
        return next < pattern.messages().size() && (next % 2 == 0) == initiator;
    }

    /** The remote party's static key, once known (from the pre-message or a message read). */
    public Optional<byte[]> remoteStatic() {
        return rs.map(byte[]::clone);
    }

    public HandshakeStep writeMessage(byte[] payload) throws NoiseException {
        if (!writes()) {
            throw new IllegalStateException("not this side's turn to write");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Pattern.Token token : pattern.messages().get(next)) {
            switch (token) {
                case E -> {
                    KeyPair25519 ephemeral = KeyPair25519.generate(random);
                    e = Optional.of(ephemeral);
                    out.writeBytes(ephemeral.publicKey());
                    symmetric.mixHash(ephemeral.publicKey());
                }
                case S -> out.writeBytes(symmetric.encryptAndHash(s.publicKey()));
                default -> symmetric.mixKey(dh(token));
            }
        }
        out.writeBytes(symmetric.encryptAndHash(payload));
        if (out.size() > MAX_MESSAGE) {
            throw new NoiseException(NoiseException.Kind.TOO_LONG, "handshake message of " + out.size() + " bytes");
        }
        return step(out.toByteArray());
    }

    public HandshakeStep readMessage(byte[] message) throws NoiseException {
        if (writes() || next >= pattern.messages().size()) {
            throw new IllegalStateException("not this side's turn to read");
        }
        if (message.length > MAX_MESSAGE) {
            throw new NoiseException(NoiseException.Kind.TOO_LONG, "handshake message of " + message.length + " bytes");
        }
        int at = 0;
        for (Pattern.Token token : pattern.messages().get(next)) {
            switch (token) {
                case E -> {
                    byte[] key = slice(message, at, X25519.KEY_BYTES);
                    at += key.length;
                    re = Optional.of(key);
                    symmetric.mixHash(key);
                }
                case S -> {
                    int length = X25519.KEY_BYTES + (symmetric.hasKey() ? CipherState.TAG_BYTES : 0);
                    byte[] sealed = slice(message, at, length);
                    at += length;
                    rs = Optional.of(symmetric.decryptAndHash(sealed));
                }
                default -> symmetric.mixKey(dh(token));
            }
        }
        byte[] rest = Arrays.copyOfRange(message, at, message.length);
        if (symmetric.hasKey() && rest.length < CipherState.TAG_BYTES) {
            throw new NoiseException(NoiseException.Kind.TRUNCATED, "handshake payload shorter than its tag");
        }
        return step(symmetric.decryptAndHash(rest));
    }

    private HandshakeStep step(byte[] bytes) {
        next++;
        if (next < pattern.messages().size()) {
            return new HandshakeStep.Pending(bytes);
        }
        CipherState[] pair = symmetric.split();
        CipherState sender = initiator ? pair[0] : pair[1];
        CipherState receiver = initiator ? pair[1] : pair[0];
        return new HandshakeStep.Done(bytes, new Transport(sender, receiver, symmetric.handshakeHash(), rs.orElseThrow()));
    }

    private byte[] dh(Pattern.Token token) throws NoiseException {
        // "es" is the initiator's ephemeral with the responder's static; the responder computes the mirror image
        boolean localEphemeral = switch (token) {
            case EE -> true;
            case ES -> initiator;
            case SE -> !initiator;
            case SS -> false;
            default -> throw new IllegalArgumentException(token + " is not a DH token");
        };
        boolean remoteEphemeral = switch (token) {
            case EE -> true;
            case ES -> !initiator;
            case SE -> initiator;
            default -> false;
        };
        byte[] local = localEphemeral ? e.orElseThrow().privateKey() : s.privateKey();
        byte[] remote = remoteEphemeral ? re.orElseThrow() : rs.orElseThrow();
        return X25519.dh(local, remote);
    }

    private static byte[] slice(byte[] message, int at, int length) throws NoiseException {
        if (message.length - at < length) {
            throw new NoiseException(NoiseException.Kind.TRUNCATED,
                    "handshake message of " + message.length + " bytes is cut short");
        }
        return Arrays.copyOfRange(message, at, at + length);
    }
}
