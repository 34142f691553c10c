package dev.kadshare.dht.reach;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Judges a node's NAT mapping from the endpoints other nodes observed its requests coming from (each
 * response's {@code observed} address), sans I/O. Only the newest observation of each observer IP counts, so
 * one observer is one vote however often it answers; at most {@link #MAX_OBSERVERS} observers are kept (the
 * most recent) and an observation older than {@link #LIFETIME} is forgotten, as mappings change.
 *
 * <p>A verdict needs agreement: an endpoint seen by at least two observers and by more than half of them is
 * {@link Mapping#OPEN} if it is the endpoint we bound, else {@link Mapping#PORT_PRESERVING}; at least three
 * observers seeing one external IP, more than half of them, with no port shared by more than half of those,
 * is {@link Mapping#SYMMETRIC}; anything else stays {@link Mapping#UNKNOWN}. So one lying observer can neither
 * make nor flip a verdict that at least three honest observers back.
 */
public final class MappingClassifier {
    public static final int MAX_OBSERVERS = 16;
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    /** Whether an observation was taken. */
    public enum Observation { COUNTED, IMPLAUSIBLE }

    /**
     * When: epoch milliseconds, not an {@code Instant}. Observers mostly agree, so an endpoint equal to one already
     * held is held as that one: a node keeps one copy of its endpoint, not one per observer (a large simulation
     * holds 16 observations in each of its nodes).
     */
    private record Seen(InetSocketAddress endpoint, long atMillis) {}

    private final Predicate<InetSocketAddress> isBoundEndpoint;
    private final InstantSource clock;
    /** Observer IP to its newest observation, oldest first. */
    private final LinkedHashMap<InetAddress, Seen> seen = new LinkedHashMap<>();

    /** {@code isBoundEndpoint} says whether an observed endpoint is the address and port our socket is bound to. */
    public MappingClassifier(Predicate<InetSocketAddress> isBoundEndpoint, InstantSource clock) {
        this.isBoundEndpoint = isBoundEndpoint;
        this.clock = clock;
    }

    /**
     * One observer's view of our endpoint. An observed endpoint that no packet can come from (port 0, a wildcard,
     * multicast, or another address family than the observer's) is refused: it is a lie or a bug of the observer.
     */
    public Observation observe(InetAddress observer, InetSocketAddress observed) {
        InetAddress ip = observed.getAddress();
        if (observed.getPort() == 0 || ip == null || ip.isAnyLocalAddress() || ip.isMulticastAddress()
                || (ip instanceof Inet4Address) != (observer instanceof Inet4Address)) {
            return Observation.IMPLAUSIBLE;
        }
        seen.remove(observer);
        seen.put(observer, new Seen(heldCopyOf(observed), clock.millis()));
        if (seen.size() > MAX_OBSERVERS) {
            Iterator<InetAddress> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return Observation.COUNTED;
    }

    /** The verdict from the observations that are still fresh. */
    public Reachability classify() {
        forgetStale();
        int observers = seen.size();
        Map<InetSocketAddress, Integer> byEndpoint = new HashMap<>();
        Map<InetAddress, Integer> byIp = new HashMap<>();
        for (Seen s : seen.values()) {
            byEndpoint.merge(s.endpoint(), 1, Integer::sum);
            byIp.merge(s.endpoint().getAddress(), 1, Integer::sum);
        }
        Optional<Map.Entry<InetSocketAddress, Integer>> endpoint = mostCommon(byEndpoint);
        if (endpoint.isPresent() && endpoint.get().getValue() >= 2 && 2 * endpoint.get().getValue() > observers) {
            InetSocketAddress agreed = endpoint.get().getKey();
            return Reachability.consistent(isBoundEndpoint.test(agreed) ? Mapping.OPEN : Mapping.PORT_PRESERVING,
                    agreed, observers);
        }
        Optional<Map.Entry<InetAddress, Integer>> ip = mostCommon(byIp);
        if (ip.isPresent() && ip.get().getValue() >= 3 && 2 * ip.get().getValue() > observers) {
            // The IP is agreed on and no port is (the endpoint check above failed): a port per destination.
            return new Reachability(Mapping.SYMMETRIC, Optional.of(ip.get().getKey()), OptionalInt.empty(), observers);
        }
        return Reachability.unknown(observers);
    }

    private InetSocketAddress heldCopyOf(InetSocketAddress endpoint) {
        for (Seen s : seen.values()) {
            if (s.endpoint().equals(endpoint)) {
                return s.endpoint();
            }
        }
        return endpoint;
    }

    private void forgetStale() {
        long oldest = clock.millis() - LIFETIME.toMillis();
        seen.values().removeIf(s -> s.atMillis() < oldest);
    }

    private static <K> Optional<Map.Entry<K, Integer>> mostCommon(Map<K, Integer> counts) {
        return counts.entrySet().stream().max(Map.Entry.comparingByValue());
    }
}
