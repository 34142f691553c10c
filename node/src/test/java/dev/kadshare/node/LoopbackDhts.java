package dev.kadshare.node;

import dev.kadshare.dht.Dht;
import dev.kadshare.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Bare DHT nodes on loopback sharing one event loop, all closed with it: a small network for a test to build. */
public final class LoopbackDhts implements AutoCloseable {
    private final EventLoopGroup group = Transport.preferred().newGroup(1);
    private final List<Dht> dhts = new ArrayList<>();

    /** The event loop the nodes run on, for whatever else the test runs beside them. */
    public EventLoopGroup group() {
        return group;
    }

    /** A new node on any free port, its key made from {@code seed}. */
    public Dht open(long seed) throws IOException {
        Dht dht = NodeTestSupport.loopbackDht(seed, group);
        dhts.add(dht);
        return dht;
    }

    @Override
    public void close() {
        dhts.forEach(Dht::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
