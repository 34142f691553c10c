package dev.kadshare.node.link;

import dev.kadshare.transfer.content.ContentId;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A kadshare link: {@code magnet:?xt=urn:kadshare:<64 hex>&dn=<name>&xl=<bytes>}, plus optional peer hints
 * {@code &x.pe=HOST:PORT} that a downloader tries alongside the DHT.
 */
public record MagnetLink(ContentId contentId, Optional<String> name, OptionalLong size, List<InetSocketAddress> peerHints) {
    private static final String PREFIX = "magnet:?";
    private static final String URN = "urn:kadshare:";

    public MagnetLink {
        peerHints = List.copyOf(peerHints);
    }

    public static MagnetLink of(ContentId contentId, String name, long size) {
        return new MagnetLink(contentId, Optional.of(name), OptionalLong.of(size), List.of());
    }

    /** Parses a link, or throws {@link IllegalArgumentException} with a message fit to show a user. */
    public static MagnetLink parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a kadshare link (expected magnet:?xt=urn:kadshare:...): " + text);
        }
        ContentId id = null;
        Optional<String> name = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        List<InetSocketAddress> hints = new ArrayList<>();
        for (String pair : text.substring(PREFIX.length()).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue; // magnet links tolerate empty and unknown parameters
            }
            String key = pair.substring(0, eq);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            switch (key) {
                case "xt" -> {
                    if (!value.startsWith(URN)) {
                        throw new IllegalArgumentException("unsupported link target '" + value + "'; expected " + URN + "<64 hex>");
                    }
                    String hex = value.substring(URN.length());
                    if (!hex.matches("[0-9a-fA-F]{64}")) {
                        throw new IllegalArgumentException("content id must be 64 hex digits, got '" + hex + "'");
                    }
                    id = ContentId.fromHex(hex.toLowerCase());
                }
                case "dn" -> name = Optional.of(value);
                case "xl" -> {
                    try {
                        long n = Long.parseLong(value);
                        if (n < 0) {
                            throw new NumberFormatException();
                        }
                        size = OptionalLong.of(n);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("link size xl must be a non-negative number, got '" + value + "'");
                    }
                }
                case "x.pe" -> hints.add(HostPort.parse(value));
                default -> { } // unknown parameters are ignored, as in BitTorrent magnets
            }
        }
        if (id == null) {
            throw new IllegalArgumentException("link has no xt=urn:kadshare:<64 hex> parameter");
        }
        return new MagnetLink(id, name, size, hints);
    }

    /** The link as text; names are percent-encoded so any file name survives the round trip. */
    public String format() {
        StringBuilder sb = new StringBuilder(PREFIX).append("xt=").append(URN).append(contentId.toHex());
        name.ifPresent(n -> sb.append("&dn=").append(encode(n)));
        size.ifPresent(n -> sb.append("&xl=").append(n));
        for (InetSocketAddress hint : peerHints) {
            // An IPv6 zone (fe80::1%eth0) is the one '%' a hint can hold: escaped, so the link parses back.
            sb.append("&x.pe=").append(HostPort.format(hint).replace("%", "%25"));
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return format();
    }
}
