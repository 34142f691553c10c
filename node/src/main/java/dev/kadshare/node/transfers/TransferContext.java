package dev.kadshare.node.transfers;

import dev.kadshare.dht.Dht;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.link.LinkSecurity;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What every transfer of a node shares: its DHT, event loops, download options and the node's listener; the clock
 * its retries and rates are timed by, how to tell the node's own address among the peers a lookup returns, and the
 * node's links (its identity, the keys learned, the drop counts); and the node's join of the network, which completes,
 * either way, once its bootstrap round is over (transfers only wait for it: a lookup before it asks no one).
 */
public record TransferContext(Dht dht, EventLoopGroup group, DownloadOptions options, Transfer.Listener listener,
        InstantSource clock, Predicate<InetSocketAddress> isSelf, LinkSecurity links, CompletableFuture<?> joined) {}
