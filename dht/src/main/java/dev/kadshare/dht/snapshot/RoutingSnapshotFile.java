package dev.kadshare.dht.snapshot;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.io.IOException;
import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RoutingSnapshot} in a small text file: a header line, {@code id <hex>}, then one
 * {@code <id hex> <ip literal> <port>} line per contact. Written atomically (temp file, fsync, atomic
 * move), so a crash leaves the old snapshot or the new one, never half of one.
 */
public final class RoutingSnapshotFile {
    private static final Logger log = LoggerFactory.getLogger(RoutingSnapshotFile.class);
    private static final String HEADER = "kadshare-dht-routing 1";
    /** More than a full table could hold: a bigger file is not ours. */
    private static final int MAX_CONTACTS = 256 * 64;
    /** A line is at most 64 hex digits, an IPv6 literal and a port. */
    private static final long MAX_BYTES = 128L * (MAX_CONTACTS + 2);

    private final Path path;

    public RoutingSnapshotFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** The saved snapshot; empty if there is none, or it is unreadable (logged: a node can still bootstrap). */
    public Optional<RoutingSnapshot> load() {
        List<String> lines;
        try {
            if (Files.size(path) > MAX_BYTES) {
                log.warn("ignoring routing snapshot {}: larger than any snapshot ({} bytes)", path, Files.size(path));
                return Optional.empty();
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read routing snapshot {}: {}", path, e.toString());
            return Optional.empty();
        }
        try {
            return Optional.of(parse(lines));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring corrupt routing snapshot {}: {}", path, e.toString());
            return Optional.empty();
        } catch (RuntimeException e) {
            // Last line of defence: a damaged file must not stop the node (parse throws nothing else; fuzzed).
            log.warn("ignoring corrupt routing snapshot {}: unexpected {}", path, e.toString());
            return Optional.empty();
        }
    }

    /** The snapshot in a file's lines; {@link IllegalArgumentException} if they are not one. */
    static RoutingSnapshot parse(List<String> lines) {
        if (lines.size() < 2 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("id ")
                || lines.size() - 2 > MAX_CONTACTS) {
            throw new IllegalArgumentException("not a routing snapshot");
        }
        NodeId id = NodeId.fromHex(lines.get(1).substring(3).trim());
        List<Contact> contacts = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.trim().split(" ");
            if (f.length != 3) {
                throw new IllegalArgumentException("bad contact line");
            }
            // Literals only: a damaged file must not make us look a name up (nor treat "localhost" as a peer).
            InetAddress ip = InetAddresses.forString(f[1]);
            contacts.add(new Contact(NodeId.fromHex(f[0]), new InetSocketAddress(ip, Integer.parseInt(f[2]))));
        }
        return new RoutingSnapshot(id, contacts);
    }

    /** The file's text for {@code snapshot}. */
    static String format(RoutingSnapshot snapshot) {
        StringBuilder text = new StringBuilder(HEADER).append('\n').append("id ").append(snapshot.id().toHex()).append('\n');
        for (Contact c : snapshot.contacts()) {
            text.append(c.id().toHex()).append(' ').append(c.address().getAddress().getHostAddress())
                    .append(' ').append(c.address().getPort()).append('\n');
        }
        return text.toString();
    }

    /** Replaces the file atomically with {@code snapshot}. */
    public void save(RoutingSnapshot snapshot) throws IOException {
        String text = format(snapshot);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
