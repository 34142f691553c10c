package dev.kadshare.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(Optional.of(new FloodBans.Ban(a, 9 * SECOND + 60 * SECOND)), bans.refused(a, 9 * SECOND));
        assertEquals(Set.of(a), bans.banned());
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
        assertEquals(Set.of(ip(1)), bans.banned());
    }

    @Test
    void aBanEndsAtItsTermAndTheAddressIsCountedAfresh() throws Exception {
        InetAddress a = ip(1);
        banned(a, 0);
        assertEquals(List.of(), bans.expire(60 * SECOND - 1));
        assertEquals(List.of(a), bans.expire(60 * SECOND));
        assertEquals(Set.of(), bans.banned());
        assertEquals(Optional.empty(), bans.refused(a, 61 * SECOND), "one refusal after the ban is one, not five");
    }

    @Test
    void aLiftedBanIsGoneAtOnce() throws Exception {
        banned(ip(1), 0);
        bans.lift(ip(1));
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
}
