package dev.kadshare.transfer.netty;

/**
 * A user event a link layer below the frames fires once its handshake is done: a serving connection's HELLO
 * deadline starts again from there, so the handshake's own deadline and HELLO's do not add up to one.
 */
public interface LinkReady {
}
