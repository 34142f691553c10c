package dev.kadshare.transfer.link.noise;

import java.util.List;

/** The two Noise handshake patterns kadshare uses, as their message token lists (Noise rev. 34, section 7). */
public enum Pattern {
    /** Neither side knows the other's static key: three messages. */
    XX(false, List.of(
            List.of(Token.E),
            List.of(Token.E, Token.EE, Token.S, Token.ES),
            List.of(Token.S, Token.SE))),
    /** The initiator knows the responder's static key (pre-message {@code <- s}): two messages. */
    IK(true, List.of(
            List.of(Token.E, Token.ES, Token.S, Token.SS),
            List.of(Token.E, Token.EE, Token.SE)));

    /** A message token. */
    public enum Token { E, S, EE, ES, SE, SS }

    private final boolean responderStaticKnown;
    private final List<List<Token>> messages;

    Pattern(boolean responderStaticKnown, List<List<Token>> messages) {
        this.responderStaticKnown = responderStaticKnown;
        this.messages = messages;
    }

    /** Whether the initiator must know the responder's static key before the first message. */
    public boolean responderStaticKnown() {
        return responderStaticKnown;
    }

    List<List<Token>> messages() {
        return messages;
    }

    public String protocolName() {
        return "Noise_" + name() + "_25519_AESGCM_SHA256";
    }
}
