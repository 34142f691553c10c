package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerExchangeTest {
    private final PeerExchange exchange = new PeerExchange();

    /** A member that records what it is told. */
    private static final class Told implements PeerExchange.Member {
        final List<InetSocketAddress> peers = new ArrayList<>();

        @Override
        public void learned(List<InetSocketAddress> more) {
            peers.addAll(more);
        }
    }

    private static Optional<InetSocketAddress> at(int port) {
        return Optional.of(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aNewcomerLearnsWhereTheOthersServeAndTheyLearnOfIt() {
        Told a = new Told();
        Told quiet = new Told();
        Told b = new Told();
        assertEquals(List.of(), exchange.join(a, at(1)));
        assertEquals(at(1).stream().toList(), exchange.join(quiet, Optional.empty()), "it serves nothing: not told");
        assertEquals(List.of(), a.peers, "a peer that does not serve is nobody's news");
        assertEquals(List.of(at(1).orElseThrow()), exchange.join(b, at(2)));
        assertEquals(List.of(at(2).orElseThrow()), a.peers);
        assertEquals(List.of(at(2).orElseThrow()), quiet.peers, "a peer that does not serve still downloads");
        exchange.leave(a);
        Told c = new Told();
        assertEquals(List.of(at(2).orElseThrow()), exchange.join(c, at(3)), "a is gone");
        assertEquals(List.of(at(2).orElseThrow()), a.peers, "and told nothing more");
    }

    @Test
    void aNewcomerLearnsOfTheNewestFiftyAtMost() {
        for (int port = 1; port <= Message.Peers.MAX + 10; port++) {
            exchange.join(new Told(), at(port));
        }
        List<InetSocketAddress> told = exchange.join(new Told(), at(1000));
        assertEquals(Message.Peers.MAX, told.size());
        assertEquals(at(Message.Peers.MAX + 10).orElseThrow(), told.get(0));
    }
}
