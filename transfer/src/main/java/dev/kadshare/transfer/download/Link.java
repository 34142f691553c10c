package dev.kadshare.transfer.download;

import java.net.InetSocketAddress;

/**
 * One connection a download opened: the address it dialled and which of its dials that was, so the events of an
 * earlier connection to the same address, arriving late, are told apart from the current one's.
 */
public record Link(InetSocketAddress peer, long serial) {
}
