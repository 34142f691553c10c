package dev.kadshare.node.relay;

import dev.kadshare.transfer.relay.RelayCaps;
import java.util.Objects;

/**
 * Whether a node relays for others when it finds itself publicly reachable (on unless {@code --no-relay}), and within
 * which caps.
 */
public record RelaySettings(boolean enabled, RelayCaps caps) {
    public static final RelaySettings DEFAULT = new RelaySettings(true, RelayCaps.defaults());
    public static final RelaySettings OFF = new RelaySettings(false, RelayCaps.defaults());

    public RelaySettings {
        Objects.requireNonNull(caps, "caps");
    }
}
