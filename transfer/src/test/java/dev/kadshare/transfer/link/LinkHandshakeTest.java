package dev.kadshare.transfer.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.noise.NoiseException;
import dev.kadshare.transfer.link.noise.Pattern;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The link handshake between two identities: XX, IK, identities proven, and each way it refuses. */
class LinkHandshakeTest {
    private final LinkIdentity alice = LinkPair.identity(1);
    private final LinkIdentity bob = LinkPair.identity(2);

    @Test
    void xxProvesBothNodeIdsAndCarriesRecordsBothWays() throws NoiseException {
        for (boolean bytewise : new boolean[] {false, true}) {
            LinkPair pair = LinkPair.of(alice, bob, Optional.empty()).run(bytewise);
            LinkStep.Established a = assertInstanceOf(LinkStep.Established.class, pair.initiatorStep);
            LinkStep.Established b = assertInstanceOf(LinkStep.Established.class, pair.responderStep);
            assertEquals(PeerId.of(bob.nodeId()), a.peer().nodeId());
            assertEquals(PeerId.of(alice.nodeId()), b.peer().nodeId());
            assertEquals(Pattern.XX, a.peer().pattern());
            assertArrayEquals(bob.noiseStatic().publicKey(), a.peer().staticKey());
            assertRecordsFlow(a, b);
        }
    }

    @Test
    void ikWithTheKnownKeyTakesOneRoundTrip() throws NoiseException {
        KnownKeys known = new KnownKeys(8);
        java.net.InetSocketAddress bobAt = new java.net.InetSocketAddress("127.0.0.1", 4000);
        LinkStep.Established first = (LinkStep.Established) LinkPair.of(alice, bob, known.at(bobAt)).run(false).initiatorStep;
        known.proven(bobAt, first.peer());
        LinkPair pair = LinkPair.of(alice, bob, known.at(bobAt)).run(true);
        LinkStep.Established a = assertInstanceOf(LinkStep.Established.class, pair.initiatorStep);
        LinkStep.Established b = assertInstanceOf(LinkStep.Established.class, pair.responderStep);
        assertEquals(Pattern.IK, a.peer().pattern());
        assertEquals(PeerId.of(bob.nodeId()), a.peer().nodeId());
        assertEquals(PeerId.of(alice.nodeId()), b.peer().nodeId());
        assertEquals(0, a.send().length, "IK: the initiator writes nothing after the responder's answer");
        assertRecordsFlow(a, b);
    }

    @Test
    void ikToAChangedKeyFailsAndForgettingTheKeyFallsBackToXxExpectingTheSameId() {
        LinkIdentity bobAfterReset = LinkPair.identity(3);
        KnownKeys.Known stale = new KnownKeys.Known(PeerId.of(bob.nodeId()), Optional.of(bob.noiseStatic().publicKey()));
        LinkPair ik = LinkPair.of(alice, bobAfterReset, Optional.of(stale)).run(false);
        LinkStep.Refused refused = assertInstanceOf(LinkStep.Refused.class, ik.responderStep);
        assertEquals(ConnectionDrop.HANDSHAKE_FAILED, refused.reason());
        KnownKeys.Known idOnly = new KnownKeys.Known(stale.nodeId(), Optional.empty());
        LinkPair xx = LinkPair.of(alice, bobAfterReset, Optional.of(idOnly)).run(false);
        LinkStep.Refused wrong = assertInstanceOf(LinkStep.Refused.class, xx.initiatorStep);
        assertEquals(ConnectionDrop.WRONG_IDENTITY, wrong.reason());
        assertTrue(wrong.why().contains(PeerId.of(bobAfterReset.nodeId()).toString()), wrong.why());
    }

    @Test
    void knownKeysForgetsTheKeyThenTheAddress() {
        KnownKeys known = new KnownKeys(2);
        java.net.InetSocketAddress at = new java.net.InetSocketAddress("127.0.0.1", 1);
        known.proven(at, new ProvenPeer(PeerId.of(bob.nodeId()), bob.noiseStatic().publicKey(), Pattern.XX));
        known.forgetKey(at);
        assertEquals(Optional.empty(), known.at(at).orElseThrow().staticKey());
        assertEquals(PeerId.of(bob.nodeId()), known.at(at).orElseThrow().nodeId());
        known.forget(at);
        assertEquals(Optional.empty(), known.at(at));
        for (int port = 2; port < 6; port++) {
            known.proven(new java.net.InetSocketAddress("127.0.0.1", port),
                    new ProvenPeer(PeerId.of(bob.nodeId()), bob.noiseStatic().publicKey(), Pattern.XX));
        }
        assertEquals(2, known.size(), "bounded");
    }

    @Test
    void mismatchedLinkVersionsFailWithBothVersionsNamed() {
        SplittableRandom random = new SplittableRandom(5);
        LinkPair pair = new LinkPair(LinkHandshake.initiator(alice, Optional.empty(), random, 2),
                LinkHandshake.responder(bob, random)).run(false);
        LinkStep.Refused responder = assertInstanceOf(LinkStep.Refused.class, pair.responderStep);
        assertEquals(ConnectionDrop.VERSION_MISMATCH, responder.reason());
        assertEquals("peer speaks link version 2, we speak 1", responder.why());
        assertArrayEquals(new byte[] {0x4B, 0x53, 0x4C, 0x4B, 1, 1}, responder.send(), "the refusal names version 1");
        LinkStep.Refused initiator = assertInstanceOf(LinkStep.Refused.class, pair.initiatorStep);
        assertEquals(ConnectionDrop.VERSION_MISMATCH, initiator.reason());
        assertEquals("peer speaks link version 1, we speak 2", initiator.why());
    }

    @Test
    void aPlaintextProtocolPeerIsRecognised() {
        LinkHandshake responder = LinkHandshake.responder(bob, new SplittableRandom(1));
        // a protocol-4 HELLO frame opens with its u32 length
        LinkStep step = responder.receive(new byte[] {0, 0, 0, 0x46, 1, 0, 0, 0});
        LinkStep.Refused refused = assertInstanceOf(LinkStep.Refused.class, step);
        assertEquals(ConnectionDrop.VERSION_MISMATCH, refused.reason());
        assertTrue(refused.why().contains("plaintext"), refused.why());
        LinkHandshake other = LinkHandshake.responder(bob, new SplittableRandom(1));
        assertEquals(ConnectionDrop.HANDSHAKE_FAILED,
                ((LinkStep.Refused) other.receive("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII))).reason());
    }

    @Test
    void tamperedOrOversizedHandshakeMessagesFail() {
        LinkHandshake initiator = LinkHandshake.initiator(alice, Optional.empty(), new SplittableRandom(3));
        LinkHandshake responder = LinkHandshake.responder(bob, new SplittableRandom(4));
        LinkStep answer = responder.receive(initiator.start());
        byte[] tampered = answer.send();
        tampered[tampered.length - 5] ^= 1;
        assertEquals(ConnectionDrop.HANDSHAKE_FAILED, ((LinkStep.Refused) initiator.receive(tampered)).reason());
        LinkHandshake big = LinkHandshake.responder(bob, new SplittableRandom(4));
        byte[] hello = LinkHandshake.initiator(alice, Optional.empty(), new SplittableRandom(3)).start();
        hello[6] = (byte) 0xff; // the first message's length
        assertEquals(ConnectionDrop.HANDSHAKE_FAILED, ((LinkStep.Refused) big.receive(hello)).reason());
    }

    @Test
    void identityProofRefusesBadSignaturesWrongKeysAndMalformedPayloads() {
        byte[] proof = IdentityProof.of(alice);
        byte[] staticKey = alice.noiseStatic().publicKey();
        assertEquals(Optional.of(PeerId.of(alice.nodeId())), IdentityProof.verify(proof, staticKey));
        byte[] badSignature = proof.clone();
        badSignature[70] ^= 1;
        assertEquals(Optional.empty(), IdentityProof.verify(badSignature, staticKey));
        assertEquals(Optional.empty(), IdentityProof.verify(proof, bob.noiseStatic().publicKey()), "signed another static key");
        assertEquals(Optional.empty(), IdentityProof.verify(java.util.Arrays.copyOf(proof, 95), staticKey));
        byte[] otherKey = proof.clone();
        System.arraycopy(bob.publicKey(), 0, otherKey, 0, 32);
        assertEquals(Optional.empty(), IdentityProof.verify(otherKey, staticKey), "a key that did not sign");
        byte[] notAKey = proof.clone();
        java.util.Arrays.fill(notAKey, 0, 32, (byte) 0xff);
        assertEquals(Optional.empty(), IdentityProof.verify(notAKey, staticKey));
    }

    private static void assertRecordsFlow(LinkStep.Established a, LinkStep.Established b) throws NoiseException {
        RecordLayer ra = new RecordLayer(a.transport());
        RecordLayer rb = new RecordLayer(b.transport());
        for (int i = 0; i < 3; i++) {
            roundTrip(ra, rb, "ping " + i);
            roundTrip(rb, ra, "pong " + i);
        }
    }

    private static void roundTrip(RecordLayer from, RecordLayer to, String text) throws NoiseException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[RecordLayer.sealedSize(bytes.length)];
        assertEquals(wire.length, from.seal(bytes, 0, bytes.length, wire, 0));
        assertEquals(bytes.length + 16, (wire[0] & 0xff) << 8 | (wire[1] & 0xff));
        byte[] out = new byte[bytes.length];
        assertEquals(bytes.length, to.open(wire, 2, wire.length - 2, out, 0));
        assertArrayEquals(bytes, out);
    }
}
