package dev.kadshare.transfer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayCircuitsTest {
    private static final InetSocketAddress SHARER = new InetSocketAddress("10.77.1.1", 7700);
    private static final InetSocketAddress OTHER = new InetSocketAddress("10.77.3.1", 7700);
    /** Where the getters connect from. */
    private static final InetAddress GETTER = InetAddresses.forString("10.77.2.1");

    private final RelayCircuits<String> relay = new RelayCircuits<>(new RelayCaps(1, 2, 2, 2, 100, 0));

    @Test
    void aGetterIsJoinedToTheSharerReservedUnderItsTarget() {
        assertEquals(new RelayCircuits.Reserved.Waiting<>(Optional.empty()), relay.reserve(SHARER, "s1", true));

        RelayCircuits.Connected<String> c = relay.connect(SHARER, "g1", GETTER, true);

        assertEquals("s1", assertInstanceOf(RelayCircuits.Connected.Joined.class, c).sharer());
        assertEquals(1, relay.snapshot().circuits());
        assertEquals(0, relay.snapshot().reservations(), "a reservation serves one circuit");
    }

    @Test
    void aNewerReservationReplacesTheSharersWaitingOne() {
        relay.reserve(SHARER, "s1", true);
        assertEquals(new RelayCircuits.Reserved.Waiting<>(Optional.of("s1")), relay.reserve(SHARER, "s2", true));
        assertEquals(1, relay.snapshot().reservations());
    }

    @Test
    void aGetterWaitsForTheSharerAndIsJoinedWhenItReserves() {
        assertInstanceOf(RelayCircuits.Connected.Waiting.class, relay.connect(SHARER, "g1", GETTER, true));

        RelayCircuits.Reserved<String> r = relay.reserve(SHARER, "s1", true);

        assertEquals("g1", assertInstanceOf(RelayCircuits.Reserved.Joined.class, r).getter());
        assertFalse(relay.gaveUp(SHARER, "g1"), "joined: no longer waiting");
        assertEquals(1, relay.snapshot().circuits());
    }

    @Test
    void aGetterThatWaitedInVainIsCountedAsNoReservation() {
        relay.connect(SHARER, "g1", GETTER, true);
        assertTrue(relay.gaveUp(SHARER, "g1"));
        assertEquals(Map.of(RelayStatus.NO_RESERVATION, 1L), relay.snapshot().refused());
        assertEquals(0, relay.snapshot().waitingGetters());
    }

    @Test
    void aCircuitBeyondTheCapIsRefusedAndCounted() {
        relay.reserve(SHARER, "s1", true);
        relay.reserve(OTHER, "s2", true);
        RelayCircuits.Connected.Joined<?> first =
                (RelayCircuits.Connected.Joined<?>) relay.connect(SHARER, "g1", GETTER, true);

        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.CIRCUITS_FULL),
                relay.connect(OTHER, "g2", GETTER, true));
        assertEquals(Map.of(RelayStatus.CIRCUITS_FULL, 1L), relay.snapshot().refused());

        relay.closed(first.circuit(), false);
        relay.closed(first.circuit(), false); // each end reports the close: counted once
        assertEquals(0, relay.snapshot().circuits());
        assertInstanceOf(RelayCircuits.Connected.Joined.class, relay.connect(OTHER, "g2", GETTER, true), "room again");
    }

    @Test
    void reservationsBeyondTheCapAreRefused() {
        relay.reserve(SHARER, "s1", true);
        relay.reserve(OTHER, "s2", true);
        assertEquals(new RelayCircuits.Reserved.Refused<>(RelayStatus.RESERVATIONS_FULL),
                relay.reserve(new InetSocketAddress("10.77.4.1", 7700), "s3", true));
    }

    /**
     * 64 hosts, each at the 4 connections a server lets one keep, all reserving: they held all 256 reservations, and
     * no other sharer could wait at the relay. A host holds 2 at most now: they hold 128.
     */
    @Test
    void hostsHoldingEveryReservationLeaveRoomForOthers() {
        RelayCircuits<String> defaults = new RelayCircuits<>(RelayCaps.defaults());
        for (int h = 0; h < 64; h++) {
            for (int port = 5001; port <= 5004; port++) {
                defaults.reserve(new InetSocketAddress("10.78." + h + ".1", port), "s" + h + ":" + port, true);
            }
        }

        assertInstanceOf(RelayCircuits.Reserved.Waiting.class, defaults.reserve(SHARER, "s1", true),
                "another sharer waits: " + defaults.snapshot());
        assertEquals(129, defaults.snapshot().reservations());
        assertEquals(Map.of(RelayStatus.HOST_RESERVATIONS_FULL, 128L), defaults.snapshot().refused());
    }

    @Test
    void aHostHoldsItsCapOfReservationsAndEachThatEndsMakesRoom() {
        RelayCircuits<String> roomy = new RelayCircuits<>(new RelayCaps(16, 2, 256, 2, 100, 0));
        InetAddress host = SHARER.getAddress();
        InetSocketAddress second = new InetSocketAddress(host, 7701);
        InetSocketAddress third = new InetSocketAddress(host, 7702);
        roomy.reserve(SHARER, "s1", true);
        roomy.reserve(second, "s2", true);

        RelayCircuits.Reserved.Refused<String> refused = new RelayCircuits.Reserved.Refused<>(
                RelayStatus.HOST_RESERVATIONS_FULL);
        assertEquals(refused, roomy.reserve(third, "s3", true));
        assertEquals(new RelayCircuits.Reserved.Waiting<>(Optional.of("s1")), roomy.reserve(SHARER, "s1b", true),
                "a newer reservation under a key held replaces the older");
        roomy.unreserved(SHARER, "s1"); // the replaced one closing: still full
        assertEquals(refused, roomy.reserve(third, "s3", true));
        assertInstanceOf(RelayCircuits.Reserved.Waiting.class, roomy.reserve(OTHER, "o1", true), "another host");
        assertEquals(Map.of(RelayStatus.HOST_RESERVATIONS_FULL, 2L), roomy.snapshot().refused());

        roomy.unreserved(SHARER, "s1b");
        assertInstanceOf(RelayCircuits.Reserved.Waiting.class, roomy.reserve(third, "s3", true), "one closed");
        assertInstanceOf(RelayCircuits.Connected.Joined.class, roomy.connect(second, "g1", GETTER, true));
        assertInstanceOf(RelayCircuits.Reserved.Waiting.class, roomy.reserve(SHARER, "s4", true), "one joined");
        assertEquals(3, roomy.snapshot().reservations());
    }

    @Test
    void aCircuitPastItsByteCapIsCountedAsCut() {
        relay.reserve(SHARER, "s1", true);
        RelayCircuits.Circuit circuit = ((RelayCircuits.Connected.Joined<String>) relay.connect(SHARER, "g1", GETTER, true)).circuit();

        assertTrue(circuit.carry(60));
        assertTrue(circuit.carry(40), "the cap itself is still within");
        assertFalse(circuit.carry(1));
        relay.closed(circuit, true);

        assertEquals(1, relay.snapshot().cutAtByteCap());
        assertEquals(101, relay.snapshot().bytesRelayed());
    }

    @Test
    void aNodeThatDoesNotRelayRefusesBoth() {
        assertEquals(new RelayCircuits.Reserved.Refused<>(RelayStatus.NOT_OFFERED), relay.reserve(SHARER, "s1", false));
        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.NOT_OFFERED),
                relay.connect(SHARER, "g1", GETTER, false));
        assertEquals(Map.of(RelayStatus.NOT_OFFERED, 2L), relay.snapshot().refused());
    }

    @Test
    void theWaitingSharerThatClosedIsForgotten() {
        relay.reserve(SHARER, "s1", true);
        relay.unreserved(SHARER, "old"); // not the one waiting: nothing changes
        assertEquals(1, relay.snapshot().reservations());
        relay.unreserved(SHARER, "s1");
        assertEquals(0, relay.snapshot().reservations());
    }
    @Test
    void aHostIsAnEndOfItsCapOfCircuitsAtMostACircuitToItselfCountingTwice() {
        RelayCircuits<String> roomy = new RelayCircuits<>(new RelayCaps(16, 2, 256, 2, 100, 0));
        InetAddress host = SHARER.getAddress();
        roomy.reserve(SHARER, "s1", true);
        RelayCircuits.Circuit own = ((RelayCircuits.Connected.Joined<String>) roomy.connect(SHARER, "g1", host, true))
                .circuit();
        InetSocketAddress again = new InetSocketAddress(host, 7701);
        roomy.reserve(again, "s2", true);

        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.HOST_CIRCUITS_FULL),
                roomy.connect(again, "g2", host, true), "its own circuit counted as both ends");
        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.HOST_CIRCUITS_FULL),
                roomy.connect(again, "g3", GETTER, true), "the sharer's host is full too");
        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.HOST_CIRCUITS_FULL),
                roomy.connect(OTHER, "g4", host, true), "as a getter of another sharer");
        assertEquals(Map.of(RelayStatus.HOST_CIRCUITS_FULL, 3L), roomy.snapshot().refused());

        roomy.closed(own, false);
        assertInstanceOf(RelayCircuits.Connected.Joined.class, roomy.connect(again, "g2", host, true), "room again");
    }

    @Test
    void aWaitingGetterCountsAgainstItsHostUntilItGivesUpAndTheSharersHostCountsOnceJoined() {
        RelayCircuits<String> roomy = new RelayCircuits<>(new RelayCaps(16, 1, 256, 2, 100, 0));
        assertInstanceOf(RelayCircuits.Connected.Waiting.class, roomy.connect(SHARER, "g1", GETTER, true));
        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.HOST_CIRCUITS_FULL),
                roomy.connect(OTHER, "g2", GETTER, true), "its host waits already");
        assertTrue(roomy.gaveUp(SHARER, "g1"));
        assertInstanceOf(RelayCircuits.Connected.Waiting.class, roomy.connect(OTHER, "g2", GETTER, true));

        // The sharer at OTHER is joined to g2; then, an end of one circuit, it cannot be joined to a second.
        assertInstanceOf(RelayCircuits.Reserved.Joined.class, roomy.reserve(OTHER, "s1", true));
        InetAddress elsewhere = InetAddresses.forString("10.77.9.1");
        assertInstanceOf(RelayCircuits.Connected.Waiting.class, roomy.connect(OTHER, "g3", elsewhere, true));
        assertEquals(new RelayCircuits.Reserved.Refused<>(RelayStatus.HOST_CIRCUITS_FULL),
                roomy.reserve(OTHER, "s2", true));
        assertEquals(1, roomy.snapshot().circuits());
    }
}
