package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RoundTripTimesTest {
    private static final Duration FLOOR = Duration.ofMillis(200);
    private static final Duration CEILING = Duration.ofSeconds(2);
    private final InetSocketAddress near = new InetSocketAddress("10.0.0.1", 6881);
    private final InetSocketAddress far = new InetSocketAddress("10.0.0.2", 6881);
    private final InetSocketAddress unknown = new InetSocketAddress("10.0.0.3", 6881);

    private static long ms(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void beforeAnySampleTheTimeoutIsRfc6298sOneSecond() {
        assertEquals(Duration.ofSeconds(1), new RoundTripTimes(FLOOR, CEILING).timeoutFor(near));
    }

    @Test
    void aContactsTimeoutIsItsSmoothedRoundTripPlusFourVariances() {
        RoundTripTimes rtt = new RoundTripTimes(FLOOR, CEILING);
        rtt.sample(far, ms(300));
        // First sample: SRTT = R, RTTVAR = R/2, so 3R.
        assertEquals(Duration.ofMillis(900), rtt.timeoutFor(far));
        for (int i = 0; i < 50; i++) {
            rtt.sample(far, ms(300));
        }
        // Steady round trips: the variance decays and the timeout approaches the round trip itself.
        Duration steady = rtt.timeoutFor(far);
        assertTrue(steady.compareTo(Duration.ofMillis(310)) < 0 && steady.compareTo(Duration.ofMillis(300)) >= 0,
                steady.toString());
    }

    @Test
    void contactsKeepTheirOwnEstimatesAndAnUnknownOneGetsTheNodesOwn() {
        RoundTripTimes rtt = new RoundTripTimes(FLOOR, CEILING);
        for (int i = 0; i < 20; i++) {
            rtt.sample(near, ms(60));
            rtt.sample(far, ms(600));
        }
        assertEquals(FLOOR, rtt.timeoutFor(near), "a fast contact waits the floor");
        assertTrue(rtt.timeoutFor(far).compareTo(Duration.ofMillis(600)) > 0);
        Duration node = rtt.timeoutFor(unknown);
        assertTrue(node.compareTo(FLOOR) > 0 && node.compareTo(CEILING) <= 0, node.toString());
    }

    @Test
    void theTimeoutNeverExceedsTheCeiling() {
        RoundTripTimes rtt = new RoundTripTimes(FLOOR, CEILING);
        rtt.sample(far, ms(5000));
        assertEquals(CEILING, rtt.timeoutFor(far));
    }
}
