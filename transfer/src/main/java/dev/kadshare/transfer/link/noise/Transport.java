package dev.kadshare.transfer.link.noise;

/**
 * The outcome of a completed handshake: the cipher state for what this side sends, the one for what it receives,
 * the handshake hash (channel binding) and the remote party's static public key.
 */
public record Transport(CipherState sender, CipherState receiver, byte[] handshakeHash, byte[] remoteStatic) {
}
