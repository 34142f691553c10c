package dev.kadshare.transfer.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.transfer.wire.Message;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PeerExchangeTest {
    private final PeerExchange<String> exchange = new PeerExchange<>();

    private static Optional<InetSocketAddress> at(int port) {
        return Optional.of(new InetSocketAddress("127.0.0.1", port));
    }

    @Test
    void aNewcomerLearnsWhereTheOthersServeAndTheyLearnOfIt() {
        assertEquals(new PeerExchange.Joined<String>(List.of(), List.of()), exchange.join("a", at(1)));
        PeerExchange.Joined<String> quiet = exchange.join("quiet", Optional.empty());
        assertEquals(List.of(at(1).orElseThrow()), quiet.others());
        assertEquals(List.of(), quiet.toTell(), "a peer that does not serve is nobody's news");
        PeerExchange.Joined<String> b = exchange.join("b", at(2));
        assertEquals(List.of(at(1).orElseThrow()), b.others());
        assertEquals(List.of("a", "quiet"), b.toTell(), "a peer that does not serve still downloads: told too");
        exchange.leave("a");
        PeerExchange.Joined<String> c = exchange.join("c", at(3));
        assertEquals(List.of(at(2).orElseThrow()), c.others(), "a is gone");
        assertEquals(List.of("quiet", "b"), c.toTell(), "and told nothing more");
    }

    @Test
    void aNewcomerLearnsOfTheNewestFiftyAtMostAndNotOfItself() {
        for (int port = 1; port <= Message.Peers.MAX + 10; port++) {
            exchange.join("peer " + port, at(port));
        }
        List<InetSocketAddress> told = exchange.join("again", at(Message.Peers.MAX + 10)).others();
        assertEquals(Message.Peers.MAX, told.size());
        assertEquals(at(Message.Peers.MAX + 9).orElseThrow(), told.get(0), "its own address is not news to it");
    }
}
