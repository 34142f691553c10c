package dev.kadshare.node.api;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Tells whether the client of one API connection has gone, while its answer waits with nothing to write (the JDK's
 * HTTP server does not say so until a write fails). It reads the kernel's table of TCP connections, Linux's
 * {@code /proc/net/tcp} and {@code tcp6}: a connection the client closed is in CLOSE_WAIT (it sent its FIN), or gone
 * from the table (it reset it). Elsewhere, or if the connection is never found there, it never says gone, and a
 * departed client is noticed at the next write as before.
 */
final class ClientConnection implements BooleanSupplier {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String CLOSE_WAIT = "08";

    /** What the table says of the connection. */
    private enum Seen { OPEN, CLOSED, ABSENT }

    private final Set<String> keys;
    private final List<Path> tables;
    /** Found open once: only then does its absence mean the client reset it (not that the table cannot be read). */
    private boolean seenOpen;

    ClientConnection(InetSocketAddress local, InetSocketAddress remote) {
        this(local, remote, TABLES);
    }

    ClientConnection(InetSocketAddress local, InetSocketAddress remote, List<Path> tables) {
        this.keys = Set.copyOf(keysOf(local, remote));
        this.tables = tables;
    }

    /** True once the client has closed or reset the connection. */
    @Override
    public boolean getAsBoolean() {
        Seen seen = look();
        if (seen == Seen.OPEN) {
            seenOpen = true;
        }
        return seen == Seen.CLOSED || (seen == Seen.ABSENT && seenOpen);
    }

    private Seen look() {
        for (Path table : tables) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
            } catch (IOException | RuntimeException e) {
                continue; // not Linux, or not readable here
            }
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && keys.contains(f[1] + " " + f[2])) {
                    return f[3].equals(CLOSE_WAIT) ? Seen.CLOSED : Seen.OPEN;
                }
            }
        }
        return Seen.ABSENT;
    }

    /**
     * How the table writes the connection: local then remote, each address as 32-bit words in the host's byte order,
     * in hex, then the port; an IPv4 one both as itself ({@code tcp}) and mapped into IPv6 ({@code tcp6}, a dual-stack
     * socket).
     */
    private static List<String> keysOf(InetSocketAddress local, InetSocketAddress remote) {
        Optional<String> v4 = local.getAddress() instanceof Inet4Address && remote.getAddress() instanceof Inet4Address
                ? Optional.of(entry(local, local.getAddress().getAddress()) + " "
                        + entry(remote, remote.getAddress().getAddress()))
                : Optional.empty();
        String v6 = entry(local, sixteen(local.getAddress())) + " " + entry(remote, sixteen(remote.getAddress()));
        return v4.map(k -> List.of(k, v6)).orElse(List.of(v6));
    }

    private static byte[] sixteen(InetAddress address) {
        byte[] raw = address.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static String entry(InetSocketAddress address, byte[] raw) {
        StringBuilder hex = new StringBuilder();
        ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        while (words.hasRemaining()) {
            hex.append(HexFormat.of().withUpperCase().toHexDigits(words.getInt()));
        }
        return hex.append(':').append(String.format(Locale.ROOT, "%04X", address.getPort())).toString();
    }
}
