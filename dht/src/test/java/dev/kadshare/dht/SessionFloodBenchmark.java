package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Ping;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a flood of requests with fresh keys costs a DHT node, with the budget of new session keys and without: a node
 * bound to the wildcard (so loopback senders are strangers to it, as on the internet) takes PINGs, each with 32 fresh
 * key bytes, from 250 loopback addresses (under the per-IP limit), while one of its contacts looks up keys through
 * it. Prints, per run, the node's event loop's CPU per second of flood, the requests it answered and dropped, and how
 * many of its contact's requests it answered.
 *
 * <pre>mvn -B -q -pl dht -am test-compile exec:exec@session-flood-bench -Dflood.args="20000 5"</pre>
 * (datagrams a second, seconds a run).
 */
public final class SessionFloodBenchmark {
    private static final int SOURCES = 250;

    private SessionFloodBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.printf(Locale.ROOT, "session flood: %,d requests a second with fresh keys from %d addresses, %d s a run%n",
                rate, SOURCES, seconds);
        for (int budget : new int[] {DhtConfig.DEFAULT_NEW_SESSIONS_PER_SECOND, 0, DhtConfig.DEFAULT_NEW_SESSIONS_PER_SECOND, 0}) {
            run(budget, rate, seconds);
        }
    }

    private static void run(int budget, int rate, int seconds) throws Exception {
        EventLoopGroup victimLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup contactLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        List<DatagramChannel> sources = new ArrayList<>();
        try {
            SplittableRandom random = new SplittableRandom(budget);
            InetAddress wildcard = InetAddress.getByName("0.0.0.0");
            Dht victim = Dht.open(DhtConfig.builder(DhtKey.generate(random), wildcard)
                    .bindAddress(new InetSocketAddress(wildcard, 0)).newSessionsPerSecond(budget).build(), victimLoop);
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), victim.localAddress().getPort());
            InetAddress contactIp = InetAddress.getByName("127.3.0.1");
            Dht contact = Dht.open(DhtConfig.builder(DhtKey.generate(random), contactIp)
                    .bindAddress(new InetSocketAddress(contactIp, 0)).build(), contactLoop);
            contact.bootstrap(List.of(target)).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < SOURCES; i++) {
                sources.add(DatagramChannel.open().bind(new InetSocketAddress("127.2." + i / 200 + "." + (i % 200 + 1), 0)));
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long loopThread = victimLoop.submit(() -> Thread.currentThread().getId()).get();
            DhtStatus before = victim.status();
            DhtStatus contactBefore = contact.status();
            long cpuBefore = threads.getThreadCpuTime(loopThread);

            byte[] datagram = Envelope.request(new byte[DhtKey.BYTES],
                    new MessageCodec().encode(new Ping(1, NodeId.random(random)), 200));
            ByteBuffer out = ByteBuffer.wrap(datagram);
            byte[] key = new byte[DhtKey.BYTES];
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            long nextLookup = start;
            int lookups = 0;
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                while (sent < due) {
                    random.nextBytes(key);
                    System.arraycopy(key, 0, datagram, 2, DhtKey.BYTES); // the envelope's key: fresh every time
                    out.clear();
                    sources.get((int) (sent % SOURCES)).send(out, target);
                    sent++;
                }
                if (System.nanoTime() >= nextLookup) {
                    contact.findPeers(NodeId.random(random)); // answered or not, each asks the victim
                    lookups++;
                    nextLookup += TimeUnit.MILLISECONDS.toNanos(50);
                }
                LockSupport.parkNanos(200_000);
            }
            double took = (System.nanoTime() - start) / 1e9;
            double cpu = (threads.getThreadCpuTime(loopThread) - cpuBefore) / 1e9;
            DhtStatus after = victim.status();
            DhtStatus contactAfter = contact.status();
            long answered = delta(before, after, "rpc.received.Ping") - delta(before, after, "dropped.SESSION_BUDGET");
            long asked = delta(contactBefore, contactAfter, "rpc.sent.GetPeers");
            long timedOut = delta(contactBefore, contactAfter, "rpc.timeout.GetPeers");
            System.out.printf(Locale.ROOT,
                    "budget %-5s: %,d sent in %.1f s; node's loop %.2f CPU-s a second; answered %,d, dropped %,d over budget,"
                            + " %,d at the per-IP limit; its contact's requests: %d of %d answered (%d lookups)%n",
                    budget == 0 ? "off" : String.valueOf(budget), sent, took, cpu / took, answered,
                    delta(before, after, "dropped.SESSION_BUDGET"), delta(before, after, "dropped.RATE_LIMITED"),
                    asked - timedOut, asked, lookups);
            contact.close();
            victim.close();
        } finally {
            for (DatagramChannel c : sources) {
                c.close();
            }
            contactLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            victimLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long delta(DhtStatus before, DhtStatus after, String counter) {
        return after.counter(counter) - before.counter(counter);
    }
}
