package dev.kadshare.dht.node;

import java.net.InetSocketAddress;

/**
 * The network as the core sees it: fire-and-forget datagrams out. Inbound datagrams are delivered by
 * the adapter calling {@link DhtNode#onDatagram} on the node's thread.
 */
public interface DatagramTransport {
    void send(InetSocketAddress to, byte[] datagram);
}
