package dev.kadshare.transfer.link.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A tampered, replayed or truncated message fails with its typed {@link NoiseException}, handshake and transport. */
class NoiseFailureTest {
    private final SplittableRandom random = new SplittableRandom(7);
    private final KeyPair25519 initiatorKey = KeyPair25519.generate(random);
    private final KeyPair25519 responderKey = KeyPair25519.generate(random);
    private static final byte[] PROLOGUE = "test".getBytes(StandardCharsets.US_ASCII);

    private Transport[] handshake() throws NoiseException {
        HandshakeState i = HandshakeState.initiator(Pattern.XX, PROLOGUE, initiatorKey, Optional.empty(), random);
        HandshakeState r = HandshakeState.responder(Pattern.XX, PROLOGUE, responderKey, random);
        r.readMessage(i.writeMessage(new byte[0]).bytes());
        i.readMessage(r.writeMessage(new byte[0]).bytes());
        HandshakeStep.Done last = (HandshakeStep.Done) i.writeMessage(new byte[0]);
        HandshakeStep.Done read = (HandshakeStep.Done) r.readMessage(last.bytes());
        return new Transport[] {last.transport(), read.transport()};
    }

    @Test
    void tamperedTransportMessageFailsToDecrypt() throws NoiseException {
        Transport[] t = handshake();
        byte[] sealed = t[0].sender().encryptWithAd(new byte[0], "hello".getBytes(StandardCharsets.US_ASCII));
        sealed[2] ^= 1;
        NoiseException e = assertThrows(NoiseException.class, () -> t[1].receiver().decryptWithAd(new byte[0], sealed));
        assertEquals(NoiseException.Kind.DECRYPT, e.kind());
    }

    @Test
    void replayedTransportMessageFailsOnTheNonce() throws NoiseException {
        Transport[] t = handshake();
        byte[] sealed = t[0].sender().encryptWithAd(new byte[0], new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, t[1].receiver().decryptWithAd(new byte[0], sealed));
        NoiseException e = assertThrows(NoiseException.class, () -> t[1].receiver().decryptWithAd(new byte[0], sealed));
        assertEquals(NoiseException.Kind.DECRYPT, e.kind());
    }

    @Test
    void outOfOrderRecordsFailOnTheNonce() throws NoiseException {
        Transport[] t = handshake();
        byte[] first = seal(t[0], 100);
        byte[] second = seal(t[0], 100);
        NoiseException e = assertThrows(NoiseException.class,
                () -> t[1].receiver().decrypt(second, 0, second.length, new byte[100], 0));
        assertEquals(NoiseException.Kind.DECRYPT, e.kind());
        // the failed attempt did not move the counter: the first record still opens
        assertEquals(100, t[1].receiver().decrypt(first, 0, first.length, new byte[100], 0));
    }

    @Test
    void truncatedRecordAndTransportMessageAreTruncated() throws NoiseException {
        Transport[] t = handshake();
        byte[] record = seal(t[0], 100);
        assertEquals(NoiseException.Kind.TRUNCATED, assertThrows(NoiseException.class,
                () -> t[1].receiver().decrypt(record, 0, 10, new byte[100], 0)).kind());
        assertEquals(NoiseException.Kind.TRUNCATED, assertThrows(NoiseException.class,
                () -> t[1].receiver().decryptWithAd(new byte[0], new byte[15])).kind());
    }

    @Test
    void truncatedHandshakeMessageIsTruncated() throws NoiseException {
        HandshakeState i = HandshakeState.initiator(Pattern.XX, PROLOGUE, initiatorKey, Optional.empty(), random);
        HandshakeState r = HandshakeState.responder(Pattern.XX, PROLOGUE, responderKey, random);
        r.readMessage(i.writeMessage(new byte[0]).bytes());
        byte[] second = r.writeMessage(new byte[] {9}).bytes();
        NoiseException e = assertThrows(NoiseException.class, () -> i.readMessage(Arrays.copyOf(second, 60)));
        assertEquals(NoiseException.Kind.TRUNCATED, e.kind());
    }

    @Test
    void tamperedHandshakeMessageFailsToDecrypt() throws NoiseException {
        HandshakeState i = HandshakeState.initiator(Pattern.IK, PROLOGUE, initiatorKey,
                Optional.of(responderKey.publicKey()), random);
        HandshakeState r = HandshakeState.responder(Pattern.IK, PROLOGUE, responderKey, random);
        byte[] first = i.writeMessage(new byte[] {1}).bytes();
        first[40] ^= 0x10;
        assertEquals(NoiseException.Kind.DECRYPT, assertThrows(NoiseException.class, () -> r.readMessage(first)).kind());
    }

    @Test
    void ikToAnotherKeyFailsToDecrypt() throws NoiseException {
        HandshakeState i = HandshakeState.initiator(Pattern.IK, PROLOGUE, initiatorKey,
                Optional.of(KeyPair25519.generate(random).publicKey()), random);
        HandshakeState r = HandshakeState.responder(Pattern.IK, PROLOGUE, responderKey, random);
        byte[] first = i.writeMessage(new byte[0]).bytes();
        assertEquals(NoiseException.Kind.DECRYPT, assertThrows(NoiseException.class, () -> r.readMessage(first)).kind());
    }

    @Test
    void smallOrderPublicKeyIsABadKey() {
        assertEquals(NoiseException.Kind.BAD_KEY, assertThrows(NoiseException.class,
                () -> X25519.dh(initiatorKey.privateKey(), new byte[32])).kind());
    }

    private static byte[] seal(Transport t, int size) throws NoiseException {
        byte[] out = new byte[size + CipherState.TAG_BYTES];
        assertEquals(out.length, t.sender().encrypt(new byte[size], 0, size, out, 0));
        return out;
    }
}
