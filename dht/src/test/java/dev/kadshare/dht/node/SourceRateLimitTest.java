package dev.kadshare.dht.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.testkit.VirtualClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SourceRateLimitTest {
    private final VirtualClock clock = new VirtualClock();

    private static InetAddress source(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >>> 8), (byte) i});
    }

    /** How many of 500 datagrams from {@code from}, sent at once, the limit admits. */
    private static int admittedOf500(SourceRateLimit limit, InetAddress from) {
        int admitted = 0;
        for (int i = 0; i < 500; i++) {
            admitted += limit.admit(from) ? 1 : 0;
        }
        return admitted;
    }

    @Test
    void sourcesWhoseBucketsRefilledAreForgottenOnTheNextDatagramNotHeldUntilAPurge() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(clock, 100, false); // burst 200: full again 2 s after emptying
        for (int i = 0; i < 50; i++) {
            assertTrue(limit.admit(source(i)));
        }
        assertEquals(50, limit.tracked());
        clock.runFor(Duration.ofMillis(1999));
        assertTrue(limit.admit(source(1000)));
        assertEquals(51, limit.tracked(), "within a refill time nothing is swept");
        clock.runFor(Duration.ofMillis(1));
        assertTrue(limit.admit(source(1001)));
        assertEquals(2, limit.tracked(), "the 50 refilled; 1000 has not, 1001 is new");
        clock.runFor(Duration.ofSeconds(2));
        limit.forgetIdle();
        assertEquals(0, limit.tracked());
    }

    @Test
    void anIpv6HostSpendsOneBucketWhicheverAddressOfItsSlash64ItSendsFrom() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(clock, 100, false);
        int admitted = 0;
        for (int i = 0; i < 500; i++) { // a fresh address per datagram, all in 2001:db8:0:5::/64
            admitted += limit.admit(InetAddress.getByAddress(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 5,
                0, 0, 0, 0, 0, 0, (byte) (i >>> 8), (byte) i})) ? 1 : 0;
        }
        assertEquals(200, admitted, "one burst for the host");
        assertEquals(1, limit.tracked());
        assertTrue(limit.admit(InetAddress.getByName("2001:db8:0:6::1")), "the next /64 is another host");
    }

    @Test
    void aSourceStillRefillingKeepsItsLimitAcrossSweeps() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(clock, 100, false);
        InetAddress flooder = source(7);
        int admitted = admittedOf500(limit, flooder);
        assertEquals(200, admitted, "the burst");
        for (int step = 0; step < 3; step++) { // sweeps run in between; the emptied bucket stays
            clock.runFor(Duration.ofSeconds(1));
            assertTrue(limit.admit(source(100 + step)));
            admitted = admittedOf500(limit, flooder);
            assertEquals(100, admitted, "one second's tokens, after " + (step + 1) + " s");
        }
        assertFalse(limit.admit(flooder));
    }

    /**
     * A flood from as many spoofed addresses as the limit tracks, all still refilling, must not reset the buckets: a
     * heavy source that spent its burst would get a fresh one. The sources it cannot track share one bucket instead.
     */
    @Test
    void aFloodOfSpoofedSourcesGivesASpentSourceNoFreshBurst() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(clock, 100, false);
        InetAddress heavy = InetAddress.getByName("192.0.2.7");
        int admitted = admittedOf500(limit, heavy);
        assertEquals(200, admitted, "the burst");
        for (int i = 0; i < SourceRateLimit.MAX_SOURCES - 1; i++) { // one datagram each: every bucket refilling
            assertTrue(limit.admit(source(i)));
        }
        assertEquals(SourceRateLimit.MAX_SOURCES, limit.tracked(), "the heavy source and the flood");

        int shared = 0;
        for (int i = 0; i < 500; i++) { // 500 more spoofed addresses, past the bound
            shared += limit.admit(InetAddress.getByAddress(new byte[] {10, 2, (byte) (i >>> 8), (byte) i})) ? 1 : 0;
        }
        assertFalse(limit.admit(heavy), "still spent");
        assertEquals(200, shared, "one burst between them");
        assertEquals(SourceRateLimit.MAX_SOURCES, limit.tracked(), "memory stays bounded");

        clock.runFor(Duration.ofSeconds(1));
        admitted = admittedOf500(limit, heavy);
        assertEquals(100, admitted, "one second's tokens, no more");
    }

    /**
     * A flood of 20,000 fresh spoofed addresses a second (one datagram each) fills the map in half a second. Each of
     * those buckets is full again within 10 ms, so a new honest source (a node answering our lookup, say) takes the
     * slot of the eldest and keeps its own limit, instead of sharing one bucket with the flood until the next sweep;
     * a spent source still refilling keeps its place, and gets no fresh burst.
     */
    @Test
    void aFloodOfFreshSpoofedSourcesLeavesEveryNewHonestSourceItsOwnLimit() throws Exception {
        SourceRateLimit limit = new SourceRateLimit(clock, 100, false);
        InetAddress heavy = InetAddress.getByName("192.0.2.7");
        int admitted = admittedOf500(limit, heavy);
        assertEquals(200, admitted, "the burst");

        int spoofed = 0;
        int honest = 0;
        for (int ms = 0; ms < 1000; ms++) { // 20 fresh addresses a millisecond, for a second
            for (int i = 0; i < 20; i++, spoofed++) {
                limit.admit(source(spoofed));
            }
            if (ms >= 600 && ms % 50 == 0) { // the map has been full since 500 ms
                InetAddress answering = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) honest++});
                for (int i = 0; i < 3; i++) {
                    assertTrue(limit.admit(answering), "honest source " + honest + " at " + ms + " ms, datagram " + i);
                }
            }
            clock.runFor(Duration.ofMillis(1));
        }
        assertEquals(SourceRateLimit.MAX_SOURCES, limit.tracked(), "memory stays bounded");

        admitted = admittedOf500(limit, heavy);
        assertEquals(100, admitted, "one second's tokens, no fresh burst");
    }
}
