package dev.kadshare.dht.reach;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a node knows of its own address as others see it: the mapping, the external IP the observers agree on,
 * the external port if the mapping keeps one, and how many distinct observers (by IP) it heard from.
 */
public record Reachability(Mapping mapping, Optional<InetAddress> externalIp, OptionalInt externalPort, int observers) {
    public Reachability {
        Objects.requireNonNull(mapping);
        Objects.requireNonNull(externalIp);
        Objects.requireNonNull(externalPort);
        if (observers < 0 || externalPort.isPresent() && externalIp.isEmpty()) {
            throw new IllegalArgumentException("observers " + observers + ", port without an IP");
        }
    }

    /** Nothing observed yet. */
    public static Reachability unknown(int observers) {
        return new Reachability(Mapping.UNKNOWN, Optional.empty(), OptionalInt.empty(), observers);
    }

    /** An endpoint every observer agrees on. */
    static Reachability consistent(Mapping mapping, InetSocketAddress external, int observers) {
        return new Reachability(mapping, Optional.of(external.getAddress()), OptionalInt.of(external.getPort()), observers);
    }

    /** The external address as text: {@code ip:port}, {@code [v6]:port}, the IP alone when the port varies, else empty. */
    public Optional<String> externalAddress() {
        return externalIp.map(ip -> {
            String host = ip.getHostAddress();
            String shown = ip.getAddress().length == 16 ? "[" + host + "]" : host;
            return externalPort.isPresent() ? shown + ":" + externalPort.getAsInt() : host;
        });
    }
}
