package dev.kadshare.dht.node;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.testkit.VirtualClock;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/** One node on a virtual clock, every datagram it sends kept for the test to read, and peers scripted to answer it. */
final class NodeUnderTest {
    /** A datagram the node sent: where, and its message. */
    record Sent(InetSocketAddress to, Message message) {
    }

    final SplittableRandom random;
    final VirtualClock time = new VirtualClock();
    final DhtKey key;
    final List<Sent> sent = new ArrayList<>();
    final DhtNode node;

    /** A node at {@code address}, its id bound to it, with the defaults {@code config} changes. */
    NodeUnderTest(long seed, InetSocketAddress address, UnaryOperator<DhtConfig.Builder> config) {
        this.random = new SplittableRandom(seed);
        this.key = DhtKey.generate(random);
        Scheduler timers = (delay, task) -> time.schedule(delay, task)::cancel;
        this.node = new DhtNode(config.apply(DhtConfig.builder(key, address.getAddress())).build(), address,
                (to, data) -> sent.add(new Sent(to, ScriptedPeer.open(data))), timers, time, random);
    }

    /** A peer with a key of its own at {@code address}, speaking to this node. */
    ScriptedPeer peer(InetSocketAddress address) {
        return new ScriptedPeer(address, key.publicKey(), random);
    }

    /** The message of the last datagram sent. */
    Message last() {
        return sent.get(sent.size() - 1).message();
    }
}
