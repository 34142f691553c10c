package dev.kadshare.transfer.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.link.noise.Pattern;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A static key the DHT hinted makes the first handshake IK; a wrong one only fails that handshake (the responder cannot
 * read it), is refuted and never tried again; a key a handshake proved wins over any hint.
 */
class KeyHintsTest {
    private final LinkIdentity alice = LinkPair.identity(1);
    private final LinkIdentity bob = LinkPair.identity(2);
    private final LinkIdentity mallory = LinkPair.identity(3);
    private final InetSocketAddress bobAt = new InetSocketAddress("127.0.0.1", 4000);

    private static LinkPair hinted(LinkIdentity a, LinkIdentity b, Optional<KnownKeys.Known> known, KeyHints hints,
            InetSocketAddress at) {
        SplittableRandom random = new SplittableRandom(42);
        return new LinkPair(LinkHandshake.initiator(a, known, hints.at(at), random), LinkHandshake.responder(b, random));
    }

    @Test
    void theRightHintMakesTheFirstHandshakeIk() {
        KeyHints hints = new KeyHints(8);
        hints.hint(bobAt, bob.noiseStatic().publicKey());
        LinkPair pair = hinted(alice, bob, Optional.empty(), hints, bobAt).run(false);
        assertTrue(pair.initiator.triesHint());
        LinkStep.Established a = assertInstanceOf(LinkStep.Established.class, pair.initiatorStep);
        assertEquals(Pattern.IK, a.peer().pattern());
        assertEquals(PeerId.of(bob.nodeId()), a.peer().nodeId(), "the id is still the one the handshake proved");
        assertInstanceOf(LinkStep.Established.class, pair.responderStep);
    }

    @Test
    void aWrongHintFailsAtTheResponderIsRefutedAndTheSameKeyIsNotTriedAgain() {
        KeyHints hints = new KeyHints(8);
        hints.hint(bobAt, mallory.noiseStatic().publicKey());
        LinkPair ik = hinted(alice, bob, Optional.empty(), hints, bobAt).run(false);
        LinkStep.Refused refused = assertInstanceOf(LinkStep.Refused.class, ik.responderStep);
        assertEquals(ConnectionDrop.HANDSHAKE_FAILED, refused.reason());
        assertEquals(0, refused.send().length, "the responder just closes");
        hints.refute(bobAt);
        assertEquals(Optional.empty(), hints.at(bobAt));
        hints.hint(bobAt, mallory.noiseStatic().publicKey()); // the next lookup says the same
        assertEquals(Optional.empty(), hints.at(bobAt), "a refuted key stays refuted");
        LinkPair xx = hinted(alice, bob, Optional.empty(), hints, bobAt).run(false);
        assertFalse(xx.initiator.triesHint());
        assertEquals(Pattern.XX, assertInstanceOf(LinkStep.Established.class, xx.initiatorStep).peer().pattern());
        hints.hint(bobAt, bob.noiseStatic().publicKey()); // another key: tried once
        assertArrayEquals(bob.noiseStatic().publicKey(), hints.at(bobAt).orElseThrow());
    }

    @Test
    void aProvenKeyWinsOverAHint() {
        KnownKeys known = new KnownKeys(8);
        known.proven(bobAt, new ProvenPeer(PeerId.of(bob.nodeId()), bob.noiseStatic().publicKey(), Pattern.XX));
        KeyHints hints = new KeyHints(8);
        hints.hint(bobAt, mallory.noiseStatic().publicKey());
        LinkPair pair = hinted(alice, bob, known.at(bobAt), hints, bobAt).run(false);
        assertFalse(pair.initiator.triesHint());
        assertEquals(Pattern.IK, assertInstanceOf(LinkStep.Established.class, pair.initiatorStep).peer().pattern());
    }

    @Test
    void aHintIsThirtyTwoBytesAndHintsAreBounded() {
        KeyHints hints = new KeyHints(2);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> hints.hint(bobAt, new byte[31]));
        for (int port = 1; port <= 3; port++) {
            hints.hint(new InetSocketAddress("127.0.0.1", port), bob.noiseStatic().publicKey());
        }
        assertEquals(Optional.empty(), hints.at(new InetSocketAddress("127.0.0.1", 1)), "the eldest went");
        assertTrue(hints.at(new InetSocketAddress("127.0.0.1", 3)).isPresent());
    }
}
