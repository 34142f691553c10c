package dev.kadshare.node.api;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} headers the control API answers: only names of this machine's loopback. A web page that
 * rebinds its own DNS name to 127.0.0.1 (DNS rebinding) still sends its own name as Host, and is refused before
 * it learns anything, as transmission's host allowlist does. The port is not compared, so an ssh tunnel to the API
 * (localhost:8080 forwarded to it) works; an attacker cannot choose the name a browser sends for a loopback literal.
 */
final class HostCheck {
    private final Set<String> allowed;

    /** @param ownHost the host part of the API's own address, as a client writes it in Host ("127.0.0.1") */
    HostCheck(String ownHost) {
        Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "[::1]"));
        names.add(ownHost.contains(":") ? "[" + ownHost.toLowerCase(Locale.ROOT) + "]" : ownHost.toLowerCase(Locale.ROOT));
        this.allowed = Set.copyOf(names);
    }

    /** The refusal for a request with this Host header (null: none), if it gets one. */
    void check(String header) {
        if (header == null || !allows(header)) {
            String shown = header == null ? "none" : "'" + header.replaceAll("[^\\x20-\\x7e]", "?") + "'";
            throw new ApiError(403, "refused: the Host header (" + shown + ") must be localhost, 127.0.0.1 or [::1],"
                    + " with any port; open the API at its own address");
        }
    }

    boolean allows(String header) {
        String host = header.trim().toLowerCase(Locale.ROOT);
        int portAt = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
        if (portAt > 0) {
            String port = host.substring(portAt + 1);
            if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            host = host.substring(0, portAt);
        }
        return allowed.contains(host);
    }
}
