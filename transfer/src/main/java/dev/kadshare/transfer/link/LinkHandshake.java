package dev.kadshare.transfer.link;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.noise.HandshakeState;
import dev.kadshare.transfer.link.noise.HandshakeStep;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Pattern;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One side of a link handshake, I/O-free: the preamble ({@link Preamble}), then the Noise messages, each a u16
 * big-endian length and the message, whose static-key-carrying payloads are {@link IdentityProof}s. The prologue
 * is the initiator's preamble, so a preamble changed on the way fails the handshake. Bytes in, {@link LinkStep}s out.
 */
public final class LinkHandshake {
    /** No handshake message of ours is longer; a longer one is refused before it is buffered. */
    static final int MAX_MESSAGE = 512;

    private final LinkIdentity me;
    private final RandomGenerator random;
    private final boolean initiator;
    private final Optional<KnownKeys.Known> expected;
    /** A static key the DHT named for the address, tried with IK only when no proven one is known. */
    private final Optional<byte[]> hinted;
    private final int version;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private Optional<HandshakeState> noise = Optional.empty();
    private Pattern pattern;
    private boolean preambleDone;

    private LinkHandshake(LinkIdentity me, RandomGenerator random, boolean initiator,
            Optional<KnownKeys.Known> expected, Optional<byte[]> hinted, int version) {
        this.me = me;
        this.random = random;
        this.initiator = initiator;
        this.expected = expected;
        this.hinted = hinted;
        this.version = version;
    }

    /**
     * The dialling side: IK when {@code expected} holds the static key, else XX; the proven node id must be
     * {@code expected}'s when there is one.
     */
    public static LinkHandshake initiator(LinkIdentity me, Optional<KnownKeys.Known> expected, RandomGenerator random) {
        return initiator(me, expected, Optional.empty(), random);
    }

    /**
     * As {@link #initiator(LinkIdentity, Optional, RandomGenerator)}, with IK on the {@code hinted} key (from the DHT)
     * when no proven one is known. A wrong hint cannot pass: IK only completes with the holder of the key.
     */
    public static LinkHandshake initiator(LinkIdentity me, Optional<KnownKeys.Known> expected, Optional<byte[]> hinted,
            RandomGenerator random) {
        return new LinkHandshake(me, random, true, expected, hinted.map(byte[]::clone), Preamble.VERSION);
    }

    /** An initiator that claims another link version (tests of mismatched versions). */
    static LinkHandshake initiator(LinkIdentity me, Optional<KnownKeys.Known> expected, RandomGenerator random,
            int version) {
        return new LinkHandshake(me, random, true, expected, Optional.empty(), version);
    }

    public static LinkHandshake responder(LinkIdentity me, RandomGenerator random) {
        return new LinkHandshake(me, random, false, Optional.empty(), Optional.empty(), Preamble.VERSION);
    }

    /** Whether this initiator tries IK on a hinted key (none was proven): its failure refutes the hint. */
    public boolean triesHint() {
        return initiator && expected.flatMap(KnownKeys.Known::staticKey).isEmpty() && hinted.isPresent();
    }

    /** The pattern this side uses (the initiator's choice; the responder's once the preamble is read). */
    public Optional<Pattern> pattern() {
        return Optional.ofNullable(pattern);
    }

    /** What the initiator sends at once: its preamble and the first Noise message. The responder sends nothing. */
    public byte[] start() {
        if (!initiator) {
            return new byte[0];
        }
        // a key a handshake proved wins over the DHT's hint
        Optional<byte[]> remoteStatic = expected.flatMap(KnownKeys.Known::staticKey).or(() -> hinted);
        pattern = remoteStatic.isPresent() ? Pattern.IK : Pattern.XX;
        byte[] preamble = Preamble.hello(version, pattern);
        HandshakeState state = HandshakeState.initiator(pattern, preamble, me.noiseStatic(), remoteStatic, random);
        noise = Optional.of(state);
        try {
            byte[] payload = pattern == Pattern.IK ? IdentityProof.of(me) : new byte[0];
            return concat(preamble, framed(state.writeMessage(payload).bytes()));
        } catch (NoiseException e) {
            throw new IllegalStateException("writing a first handshake message cannot fail", e);
        }
    }

    /** Takes bytes from the peer (any split) and says what to do. */
    public LinkStep receive(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] send = new byte[0];
        while (true) {
            byte[] buffered = pending.toByteArray();
            if (!preambleDone) {
                if (buffered.length < Preamble.BYTES) {
                    return new LinkStep.Continue(send);
                }
                LinkStep step = initiator ? readAnswer(buffered) : readHello(buffered);
                if (step instanceof LinkStep.Refused) {
                    return step;
                }
                preambleDone = true;
                consume(Preamble.BYTES);
                send = concat(send, step.send());
                continue;
            }
            if (buffered.length < 2) {
                return new LinkStep.Continue(send);
            }
            int length = ((buffered[0] & 0xff) << 8) | (buffered[1] & 0xff);
            if (length > MAX_MESSAGE) {
                return refused(ConnectionDrop.HANDSHAKE_FAILED, "handshake message of " + length + " bytes");
            }
            if (buffered.length < 2 + length) {
                return new LinkStep.Continue(send);
            }
            consume(2 + length);
            LinkStep step = readMessage(Arrays.copyOfRange(buffered, 2, 2 + length), send);
            if (!(step instanceof LinkStep.Continue)) {
                return step;
            }
            send = step.send();
        }
    }

    private LinkStep readHello(byte[] buffered) {
        if (!Preamble.hasMagic(buffered)) {
            // a protocol-4 peer opens with a frame's length, whose high byte is 0
            return buffered[0] == 0
                    ? refused(ConnectionDrop.VERSION_MISMATCH, "peer speaks the plaintext transfer protocol, not an encrypted link")
                    : refused(ConnectionDrop.HANDSHAKE_FAILED, "not a kadshare link");
        }
        int theirs = buffered[4] & 0xff;
        if (theirs != Preamble.VERSION) {
            return new LinkStep.Refused(ConnectionDrop.VERSION_MISMATCH,
                    "peer speaks link version " + theirs + ", we speak " + Preamble.VERSION,
                    Preamble.answer(Preamble.REFUSED_VERSION));
        }
        Optional<Pattern> asked = Preamble.pattern(buffered[5] & 0xff);
        if (asked.isEmpty()) {
            return new LinkStep.Refused(ConnectionDrop.HANDSHAKE_FAILED, "unknown handshake pattern " + (buffered[5] & 0xff),
                    Preamble.answer(Preamble.REFUSED_PATTERN));
        }
        pattern = asked.get();
        noise = Optional.of(HandshakeState.responder(pattern, Arrays.copyOf(buffered, Preamble.BYTES), me.noiseStatic(),
                random));
        return new LinkStep.Continue(Preamble.answer(Preamble.ACCEPTED));
    }

    private LinkStep readAnswer(byte[] buffered) {
        if (!Preamble.hasMagic(buffered)) {
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "peer answered something other than a kadshare link");
        }
        int theirs = buffered[4] & 0xff;
        int status = buffered[5] & 0xff;
        if (status == Preamble.REFUSED_VERSION || (status == Preamble.ACCEPTED && theirs != version)) {
            return refused(ConnectionDrop.VERSION_MISMATCH, "peer speaks link version " + theirs + ", we speak " + version);
        }
        if (status != Preamble.ACCEPTED) {
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "peer refused the handshake (status " + status + ")");
        }
        return new LinkStep.Continue(new byte[0]);
    }

    private LinkStep readMessage(byte[] message, byte[] sendSoFar) {
        HandshakeState state = noise.orElseThrow();
        HandshakeStep read;
        try {
            read = state.readMessage(message);
        } catch (NoiseException e) {
            String hint = pattern == Pattern.IK && initiator ? " (the peer's static key may have changed)" : "";
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "handshake: " + e.getMessage() + hint);
        }
        if (read instanceof HandshakeStep.Done done) {
            return established(read.bytes(), done, sendSoFar);
        }
        if (read.bytes().length != 0 && !carriesProof(read)) {
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "unexpected handshake payload");
        }
        Optional<PeerId> early = Optional.empty();
        if (carriesProof(read)) {
            // IK's first message or XX's second: the peer's static key is known now, so is its proof
            early = noiseRemoteProof(read.bytes());
            if (early.isEmpty()) {
                return refused(ConnectionDrop.HANDSHAKE_FAILED, "bad identity proof");
            }
        }
        HandshakeStep written;
        try {
            written = state.writeMessage(IdentityProof.of(me));
        } catch (NoiseException e) {
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "handshake: " + e.getMessage());
        }
        byte[] send = concat(sendSoFar, framed(written.bytes()));
        if (written instanceof HandshakeStep.Done done) {
            return provenPeer(early.orElseThrow(), done, send, remainder());
        }
        return new LinkStep.Continue(send);
    }

    /** XX's second message (to the initiator) and IK's first (to the responder) carry the peer's proof. */
    private boolean carriesProof(HandshakeStep read) {
        return initiator ? pattern == Pattern.XX : pattern == Pattern.IK;
    }

    private Optional<PeerId> noiseRemoteProof(byte[] payload) {
        return remoteStatic().flatMap(key -> IdentityProof.verify(payload, key));
    }

    private Optional<byte[]> remoteStatic() {
        return noise.flatMap(HandshakeState::remoteStatic);
    }

    private LinkStep established(byte[] payload, HandshakeStep.Done done, byte[] send) {
        Optional<PeerId> proven = IdentityProof.verify(payload, done.transport().remoteStatic());
        if (proven.isEmpty()) {
            return refused(ConnectionDrop.HANDSHAKE_FAILED, "bad identity proof");
        }
        return provenPeer(proven.get(), done, send, remainder());
    }

    private LinkStep provenPeer(PeerId id, HandshakeStep.Done done, byte[] send, byte[] leftover) {
        if (expected.isPresent() && !expected.get().nodeId().equals(id)) {
            return new LinkStep.Refused(ConnectionDrop.WRONG_IDENTITY,
                    "expected node " + expected.get().nodeId() + ", the peer proved " + id, new byte[0]);
        }
        return new LinkStep.Established(send, new ProvenPeer(id, done.transport().remoteStatic(), pattern),
                done.transport(), leftover);
    }

    private byte[] remainder() {
        byte[] rest = pending.toByteArray();
        pending.reset();
        return rest;
    }

    private void consume(int n) {
        byte[] rest = pending.toByteArray();
        pending.reset();
        pending.write(rest, n, rest.length - n);
    }

    private static LinkStep refused(ConnectionDrop reason, String why) {
        return new LinkStep.Refused(reason, why, new byte[0]);
    }

    private static byte[] framed(byte[] message) {
        byte[] out = new byte[2 + message.length];
        out[0] = (byte) (message.length >>> 8);
        out[1] = (byte) message.length;
        System.arraycopy(message, 0, out, 2, message.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
