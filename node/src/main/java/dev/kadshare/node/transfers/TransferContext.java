package dev.kadshare.node.transfers;

import dev.kadshare.dht.Dht;
import dev.kadshare.transfer.download.DownloadOptions;
import io.netty.channel.EventLoopGroup;

/** What every transfer of a node shares: its DHT, event loops, download options and the node's listener. */
public record TransferContext(Dht dht, EventLoopGroup group, DownloadOptions options, Transfer.Listener listener) {}
