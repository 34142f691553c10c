package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.HostPrefix;
import dev.kadshare.net.SourceDropProgram;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which refusals start a ban, when bans end, and how far the state can grow, in time that the test moves. */
class FloodBansTest {
    private static final long SECOND = 1_000_000_000L;
    private final FloodBan policy = new FloodBan(5, Duration.ofSeconds(10), Duration.ofSeconds(60));
    private final FloodBans bans = new FloodBans(policy);

    @Test
    void theRefusalThatReachesThePolicysCountWithinTheWindowStartsABan() throws Exception {
        InetAddress a = ip(1);
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), bans.refused(a, i * SECOND));
        }
        assertEquals(Optional.of(new FloodBans.Ban(HostPrefix.of(a), 9 * SECOND + 60 * SECOND)),
                bans.refused(a, 9 * SECOND));
        assertEquals(Set.of(HostPrefix.of(a)), bans.banned());
        assertEquals(Optional.empty(), bans.refused(a, 10 * SECOND), "a refusal that raced the filter starts none");
    }

    @Test
    void refusalsSpreadOverMoreThanTheWindowStartNone() throws Exception {
        InetAddress a = ip(1);
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.empty(), bans.refused(a, 3 * SECOND * i), "refusal " + i);
        }
        assertEquals(Set.of(), bans.banned());
    }

    @Test
    void eachAddressIsCountedOnItsOwn() throws Exception {
        for (int i = 0; i < 4; i++) {
            bans.refused(ip(1), 0);
            bans.refused(ip(2), 0);
        }
        assertTrue(bans.refused(ip(1), 0).isPresent());
        assertEquals(Set.of(HostPrefix.of(ip(1))), bans.banned());
    }

    @Test
    void anIpv6HostIsCountedAndBannedByItsSlash64WhateverAddressItTakes() throws Exception {
        // A host holds its /64 whole: a fresh address per connection must not make each refusal the first.
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), bans.refused(ip6(0x1234, i), i * SECOND));
        }
        assertEquals(Optional.of(new FloodBans.Ban(HostPrefix.of(ip6(0x1234, 99)), 4 * SECOND + 60 * SECOND)),
                bans.refused(ip6(0x1234, 4), 4 * SECOND));
        assertEquals(Optional.empty(), bans.refused(ip6(0x1235, 0), 5 * SECOND), "the next /64 is another host");
    }

    @Test
    void aBanEndsAtItsTermAndTheAddressIsCountedAfresh() throws Exception {
        InetAddress a = ip(1);
        banned(a, 0);
        assertEquals(List.of(), bans.expire(60 * SECOND - 1));
        assertEquals(List.of(HostPrefix.of(a)), bans.expire(60 * SECOND));
        assertEquals(Set.of(), bans.banned());
        assertEquals(Optional.empty(), bans.refused(a, 61 * SECOND), "one refusal after the ban is one, not five");
    }

    @Test
    void aLiftedBanIsGoneAtOnce() throws Exception {
        banned(ip(1), 0);
        bans.lift(HostPrefix.of(ip(1)));
        assertEquals(Set.of(), bans.banned());
        assertEquals(List.of(), bans.expire(Long.MAX_VALUE));
    }

    @Test
    void noMoreBansThanTheKernelProgramHolds() throws Exception {
        for (int i = 0; i < SourceDropProgram.MAX_SOURCES; i++) {
            banned(ip(i), 0);
        }
        InetAddress oneMore = ip(SourceDropProgram.MAX_SOURCES);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), bans.refused(oneMore, 0));
        }
        assertEquals(SourceDropProgram.MAX_SOURCES, bans.banned().size());
    }

    @Test
    void atMostTrackedAddressesAreCountedUntilTheirWindowsEnd() throws Exception {
        for (int i = 0; i < FloodBans.TRACKED; i++) {
            bans.refused(ip(i), 0);
        }
        InetAddress late = ip(FloodBans.TRACKED);
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), bans.refused(late, SECOND), "not counted while the table is full");
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(Optional.empty(), bans.refused(late, 10 * SECOND + i));
        }
        assertTrue(bans.refused(late, 10 * SECOND + 4).isPresent(), "counted once the old windows ended");
    }

    private void banned(InetAddress a, long nowNanos) {
        for (int i = 0; i < policy.refusals() - 1; i++) {
            bans.refused(a, nowNanos);
        }
        assertTrue(bans.refused(a, nowNanos).isPresent());
    }

    private static InetAddress ip(int n) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (n >> 8), (byte) n});
    }

    /** An address 2001:db8:0:{@code subnet}::{@code host}: no traffic goes anywhere, the test only counts. */
    private static InetAddress ip6(int subnet, int host) throws UnknownHostException {
        byte[] b = new byte[16];
        b[0] = 0x20;
        b[1] = 0x01;
        b[2] = 0x0d;
        b[3] = (byte) 0xb8;
        b[6] = (byte) (subnet >> 8);
        b[7] = (byte) subnet;
        b[14] = (byte) (host >> 8);
        b[15] = (byte) host;
        return InetAddress.getByAddress(b);
    }
}
