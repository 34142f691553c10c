package dev.kadshare.dht.wire;

import dev.kadshare.dht.id.NodeId;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * From a node storing our announcement under {@code key}: a getter at {@code getter} (the IP the storer saw its
 * request come from, the TCP port it gave) cannot reach us and dials us now; dial it back at the same moment, from
 * our listening port, to open the connection through both NATs. Answered by {@link Introduced}.
 */
public record Introduce(long txId, NodeId sender, NodeId key, InetSocketAddress getter) implements Request {
    public Introduce {
        Objects.requireNonNull(sender);
        Objects.requireNonNull(key);
        Fields.requireResolved(getter);
        Fields.requirePort(getter.getPort());
    }

    @Override
    public Class<Introduced> responseType() {
        return Introduced.class;
    }
}
