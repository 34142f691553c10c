package dev.kadshare.transfer.link;

import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/** Two link handshakes passing bytes to each other in a test or a benchmark, each side's bytes optionally split byte by byte. */
public final class LinkPair {
    final LinkHandshake initiator;
    final LinkHandshake responder;
    LinkStep initiatorStep;
    LinkStep responderStep;

    public LinkPair(LinkHandshake initiator, LinkHandshake responder) {
        this.initiator = initiator;
        this.responder = responder;
    }

    static LinkIdentity identity(int n) {
        byte[] seed = new byte[32];
        new SplittableRandom(n).nextBytes(seed);
        return LinkIdentity.fromSeed(seed);
    }

    static LinkPair of(LinkIdentity a, LinkIdentity b, Optional<KnownKeys.Known> expected) {
        SplittableRandom random = new SplittableRandom(42);
        return new LinkPair(LinkHandshake.initiator(a, expected, random), LinkHandshake.responder(b, random));
    }

    /** Runs the handshake until no bytes move (at most 8 turns), feeding bytes one at a time if {@code bytewise}. */
    public LinkPair run(boolean bytewise) {
        byte[] toResponder = initiator.start();
        byte[] toInitiator = new byte[0];
        for (int turn = 0; turn < 8 && (toResponder.length > 0 || toInitiator.length > 0); turn++) {
            if (toResponder.length > 0 && open(responderStep)) {
                responderStep = feed(responder, toResponder, bytewise);
                toInitiator = concat(toInitiator, responderStep.send());
            }
            toResponder = new byte[0];
            if (toInitiator.length > 0 && open(initiatorStep)) {
                initiatorStep = feed(initiator, toInitiator, bytewise);
                toResponder = initiatorStep.send();
            }
            toInitiator = new byte[0];
        }
        return this;
    }

    /** Whether both sides have the link. */
    public boolean established() {
        return initiatorStep instanceof LinkStep.Established && responderStep instanceof LinkStep.Established;
    }

    private static boolean open(LinkStep step) {
        return step == null || step instanceof LinkStep.Continue;
    }

    private static LinkStep feed(LinkHandshake side, byte[] bytes, boolean bytewise) {
        if (!bytewise) {
            return side.receive(bytes);
        }
        byte[] sent = new byte[0];
        LinkStep step;
        for (int i = 0; i < bytes.length; i++) {
            step = side.receive(new byte[] {bytes[i]});
            if (!(step instanceof LinkStep.Continue)) {
                return withSend(step, concat(sent, step.send()));
            }
            sent = concat(sent, step.send());
        }
        return new LinkStep.Continue(sent);
    }

    private static LinkStep withSend(LinkStep step, byte[] send) {
        if (step instanceof LinkStep.Established e) {
            return new LinkStep.Established(send, e.peer(), e.transport(), e.leftover());
        }
        LinkStep.Refused r = (LinkStep.Refused) step;
        return new LinkStep.Refused(r.reason(), r.why(), send);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
