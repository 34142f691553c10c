package dev.kadshare.dht.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The verdicts, their quorum, and what one lying observer can and cannot do. */
class MappingClassifierTest {
    private static final InetSocketAddress BOUND = new InetSocketAddress("192.168.1.10", 4000);
    private final VirtualClock time = new VirtualClock();
    private final MappingClassifier classifier = new MappingClassifier(BOUND::equals, time);

    private void seen(String observer, String ip, int port) {
        assertEquals(MappingClassifier.Observation.COUNTED,
                classifier.observe(address(observer), new InetSocketAddress(ip, port)));
    }

    @Test
    void needsTwoAgreeingObservers() {
        assertEquals(Reachability.unknown(0), classifier.classify());
        seen("10.0.0.1", "192.168.1.10", 4000);
        assertEquals(Mapping.UNKNOWN, classifier.classify().mapping());
        seen("10.0.0.2", "192.168.1.10", 4000);
        assertEquals(Mapping.OPEN, classifier.classify().mapping());
        assertEquals(Optional.of("192.168.1.10:4000"), classifier.classify().externalAddress());
    }

    @Test
    void oneObserverIsOneVoteHoweverOftenItAnswers() {
        for (int i = 0; i < 5; i++) {
            seen("10.0.0.1", "198.51.100.1", 4000);
        }
        assertEquals(new Reachability(Mapping.UNKNOWN, Optional.empty(), OptionalInt.empty(), 1), classifier.classify());
    }

    @Test
    void portPreservingWhenEveryObserverSeesOneTranslatedEndpoint() {
        seen("10.0.0.1", "198.51.100.1", 4000);
        seen("10.0.0.2", "198.51.100.1", 4000);
        seen("10.0.0.3", "198.51.100.1", 4000);
        Reachability r = classifier.classify();
        assertEquals(Mapping.PORT_PRESERVING, r.mapping());
        assertEquals(Optional.of("198.51.100.1:4000"), r.externalAddress());
        assertEquals(3, r.observers());
    }

    @Test
    void symmetricWhenThePortDiffersPerObserver() {
        seen("10.0.0.1", "198.51.100.1", 30001);
        seen("10.0.0.2", "198.51.100.1", 30002);
        assertEquals(Mapping.UNKNOWN, classifier.classify().mapping(), "two disagreeing observers could be one liar");
        seen("10.0.0.3", "198.51.100.1", 30003);
        Reachability r = classifier.classify();
        assertEquals(Mapping.SYMMETRIC, r.mapping());
        assertEquals(Optional.of("198.51.100.1"), r.externalAddress(), "the IP alone: the port varies");
    }

    @Test
    void oneLiarCannotFlipAVerdictOfThreeHonestObservers() {
        seen("10.0.0.1", "198.51.100.1", 4000);
        seen("10.0.0.2", "198.51.100.1", 4000);
        seen("10.0.0.3", "198.51.100.1", 4000);
        seen("10.0.0.66", "198.51.100.1", 5555); // claims the port varies
        assertEquals(Mapping.PORT_PRESERVING, classifier.classify().mapping());
        seen("10.0.0.66", "192.168.1.10", 4000); // claims we are open
        assertEquals(Mapping.PORT_PRESERVING, classifier.classify().mapping());

        MappingClassifier symmetric = new MappingClassifier(BOUND::equals, time);
        symmetric.observe(address("10.0.0.1"), new InetSocketAddress("198.51.100.1", 30001));
        symmetric.observe(address("10.0.0.2"), new InetSocketAddress("198.51.100.1", 30002));
        symmetric.observe(address("10.0.0.3"), new InetSocketAddress("198.51.100.1", 30003));
        symmetric.observe(address("10.0.0.66"), new InetSocketAddress("198.51.100.1", 30001)); // agrees with one of them
        assertEquals(Mapping.SYMMETRIC, symmetric.classify().mapping());
    }

    @Test
    void refusesEndpointsNoPacketComesFrom() {
        InetAddress observer = address("10.0.0.1");
        for (InetSocketAddress bad : new InetSocketAddress[] {new InetSocketAddress("198.51.100.1", 0),
                new InetSocketAddress("0.0.0.0", 4000), new InetSocketAddress("224.0.0.1", 4000),
                new InetSocketAddress("2001:db8::1", 4000)}) {
            assertEquals(MappingClassifier.Observation.IMPLAUSIBLE, classifier.observe(observer, bad), bad.toString());
        }
        assertEquals(0, classifier.classify().observers());
    }

    @Test
    void forgetsStaleObservationsAndKeepsTheNewestObservers() {
        seen("10.0.0.1", "198.51.100.1", 4000);
        seen("10.0.0.2", "198.51.100.1", 4000);
        time.runFor(MappingClassifier.LIFETIME.plus(Duration.ofSeconds(1)));
        assertEquals(Reachability.unknown(0), classifier.classify(), "mappings change: old views expire");
        for (int i = 1; i <= MappingClassifier.MAX_OBSERVERS + 10; i++) {
            seen("10.0.1." + i, "198.51.100.1", 4000);
        }
        assertEquals(MappingClassifier.MAX_OBSERVERS, classifier.classify().observers());
    }

    private static InetAddress address(String literal) {
        return new InetSocketAddress(literal, 0).getAddress();
    }
}
