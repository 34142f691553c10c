package dev.kadshare.transfer.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayCircuitsTest {
    private static final InetSocketAddress SHARER = new InetSocketAddress("10.77.1.1", 7700);
    private static final InetSocketAddress OTHER = new InetSocketAddress("10.77.3.1", 7700);

    private final RelayCircuits<String> relay = new RelayCircuits<>(new RelayCaps(1, 2, 100, 0));

    @Test
    void aGetterIsJoinedToTheSharerReservedUnderItsTarget() {
        assertEquals(new RelayCircuits.Reserved.Waiting<>(Optional.empty()), relay.reserve(SHARER, "s1", true));

        RelayCircuits.Connected<String> c = relay.connect(SHARER, "g1", true);

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
        assertInstanceOf(RelayCircuits.Connected.Waiting.class, relay.connect(SHARER, "g1", true));

        RelayCircuits.Reserved<String> r = relay.reserve(SHARER, "s1", true);

        assertEquals("g1", assertInstanceOf(RelayCircuits.Reserved.Joined.class, r).getter());
        assertFalse(relay.gaveUp(SHARER, "g1"), "joined: no longer waiting");
        assertEquals(1, relay.snapshot().circuits());
    }

    @Test
    void aGetterThatWaitedInVainIsCountedAsNoReservation() {
        relay.connect(SHARER, "g1", true);
        assertTrue(relay.gaveUp(SHARER, "g1"));
        assertEquals(Map.of(RelayStatus.NO_RESERVATION, 1L), relay.snapshot().refused());
        assertEquals(0, relay.snapshot().waitingGetters());
    }

    @Test
    void aCircuitBeyondTheCapIsRefusedAndCounted() {
        relay.reserve(SHARER, "s1", true);
        relay.reserve(OTHER, "s2", true);
        RelayCircuits.Connected.Joined<?> first = (RelayCircuits.Connected.Joined<?>) relay.connect(SHARER, "g1", true);

        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.CIRCUITS_FULL), relay.connect(OTHER, "g2", true));
        assertEquals(Map.of(RelayStatus.CIRCUITS_FULL, 1L), relay.snapshot().refused());

        relay.closed(first.circuit(), false);
        relay.closed(first.circuit(), false); // each end reports the close: counted once
        assertEquals(0, relay.snapshot().circuits());
        assertInstanceOf(RelayCircuits.Connected.Joined.class, relay.connect(OTHER, "g2", true), "room again");
    }

    @Test
    void reservationsBeyondTheCapAreRefused() {
        relay.reserve(SHARER, "s1", true);
        relay.reserve(OTHER, "s2", true);
        assertEquals(new RelayCircuits.Reserved.Refused<>(RelayStatus.RESERVATIONS_FULL),
                relay.reserve(new InetSocketAddress("10.77.4.1", 7700), "s3", true));
    }

    @Test
    void aCircuitPastItsByteCapIsCountedAsCut() {
        relay.reserve(SHARER, "s1", true);
        RelayCircuits.Circuit circuit = ((RelayCircuits.Connected.Joined<String>) relay.connect(SHARER, "g1", true)).circuit();

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
        assertEquals(new RelayCircuits.Connected.Refused<>(RelayStatus.NOT_OFFERED), relay.connect(SHARER, "g1", false));
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
}
