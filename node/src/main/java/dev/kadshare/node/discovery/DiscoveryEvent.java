package dev.kadshare.node.discovery;

import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

/** What happens to {@link LocalDiscovery}: each event carries the time it happens at, from the edge's clock. */
public sealed interface DiscoveryEvent {
    Instant now();

    /** The interfaces to run on: at start, and whenever they change (an interface came up or went down). */
    record InterfacesChanged(Instant now, List<LanInterface> interfaces) implements DiscoveryEvent {
        public InterfacesChanged {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** The timer the last {@link DiscoveryAction.WakeAt} asked for went off. */
    record Tick(Instant now) implements DiscoveryEvent {}

    /** A datagram arrived on the discovery port: outside bytes, hostile until decoded. */
    record Received(Instant now, InetSocketAddress from, byte[] data) implements DiscoveryEvent {}

    /** The content ids this node is fetching now (a download started, finished or was removed). */
    record FetchingChanged(Instant now, List<ContentId> fetching) implements DiscoveryEvent {
        public FetchingChanged {
            fetching = List.copyOf(fetching);
        }
    }
}
