package dev.kadshare.simulation.attack;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.routing.Contact;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the adversaries share: each other's contacts, and the lies they tell about them. Where ids are free (no id rule,
 * the code today) a lie names made-up ids next to the key, each at a colluder: the made-up id of address A for key K is
 * K with its last 8 bytes mixed with A's hash, closer to K than any real node and the same wherever it is computed, so
 * the colluder at A can answer as it. Where ids are bound to a key or an address (an id rule: a colluder can only
 * answer as its own id) a lie names the colluders closest to the key, at their real ids.
 */
public final class Colluders {
    /** Made-up contacts in one lying answer. */
    static final int FAKES_PER_ANSWER = 8;
    /** Lies about this many keys are remembered (ids bound): they are asked about again and again. */
    private static final int CACHED_KEYS = 50_000;

    private final boolean idsFree;
    private final List<InetSocketAddress> addresses = new ArrayList<>();
    private final List<Contact> contacts = new ArrayList<>();
    private final Map<NodeId, List<Contact>> closest = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<NodeId, List<Contact>> eldest) {
            return size() > CACHED_KEYS;
        }
    };

    /** {@code idsFree}: no id rule holds the adversaries back. */
    public Colluders(boolean idsFree) {
        this.idsFree = idsFree;
    }

    public boolean idsFree() {
        return idsFree;
    }

    public void add(Contact colluder) {
        addresses.add(colluder.address());
        contacts.add(colluder);
    }

    public int size() {
        return addresses.size();
    }

    /** The id a colluder at {@code address} answers as when asked about {@code key}. */
    static NodeId fakeId(InetSocketAddress address, NodeId key) {
        byte[] id = key.bytes();
        long mix = address.hashCode() * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 8; i++) {
            id[NodeId.BYTES - 1 - i] ^= (byte) (mix >>> (8 * i));
        }
        id[NodeId.BYTES - 8] |= 1; // never the key itself
        return NodeId.of(id);
    }

    /** What a lie about {@code key} names: made-up ids at colluders, or, ids bound, the colluders closest to it. */
    List<Contact> fakesNear(NodeId key, RandomGenerator random) {
        if (!idsFree) {
            return closest.computeIfAbsent(key, k -> contacts.stream()
                    .sorted(java.util.Comparator.comparing(Contact::id, NodeId.byDistanceTo(k)))
                    .limit(FAKES_PER_ANSWER).toList());
        }
        List<Contact> fakes = new ArrayList<>(FAKES_PER_ANSWER);
        for (int i = 0; i < FAKES_PER_ANSWER && !addresses.isEmpty(); i++) {
            InetSocketAddress at = addresses.get(random.nextInt(addresses.size()));
            fakes.add(new Contact(fakeId(at, key), at));
        }
        return fakes;
    }
}
