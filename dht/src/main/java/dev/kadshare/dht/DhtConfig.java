package dev.kadshare.dht;

import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.identity.IdBinding;
import dev.kadshare.dht.identity.IdRule;
import dev.kadshare.dht.identity.SessionKeys;
import dev.kadshare.dht.identity.X25519SessionKeys;
import dev.kadshare.dht.lookup.Lookup;
import dev.kadshare.dht.routing.AdmissionLimits;
import dev.kadshare.dht.routing.ContactFilter;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.PeerStore;
import dev.kadshare.dht.store.Publisher;
import dev.kadshare.dht.token.WriteTokens;
import dev.kadshare.net.Loopback;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a DHT node is built from. The protocol core ({@code DhtNode}) reads the key and the id it proves, whether others must prove theirs, and the tunables: k,
 * alpha, timers, how long stored announcements and records live ({@code storageTtl}; our own are renewed every
 * {@link #republishInterval()}) and how many are kept, the routing table's admission limits per network (/24,
 * /64: {@link AdmissionLimits}), the datagram rate per source IP and how many session keys it derives a second for
 * senders it keeps none for, and the addresses it is reached at without having them (a one-to-one NAT); a node bound to loopback (a one-machine test
 * network, every node on 127.0.0.1) exempts loopback sources from them, any other node does not (0 turns a limit
 * off). {@link Dht#open} also
 * reads the socket's address and receive buffer (0: the system's default) and where and how often to save the
 * routing-table snapshot (none by default). Built with {@link #builder}; {@link #defaults} for the usual values.
 */
public record DhtConfig(NodeId id, InetSocketAddress bindAddress, int receiveBufferBytes, int k, int alpha,
                        Duration rpcTimeout, Duration rpcTimeoutFloor, int enoughPeers, Duration seedRetryInterval, Duration bucketRefreshInterval,
                        Duration tokenRotation, Duration storageTtl, int maxPeersPerKey, int maxPeersTotal,
                        int maxRecordsPerKey, int maxRecordsTotal, int maxContactsPerSubnetPerBucket, int maxContactsPerSubnet,
                        int datagramsPerSecondPerIp, Optional<Path> snapshotFile, Duration snapshotInterval,
                        Lookup.Bounds lookupBounds, Duration lookupTimeLimit, ContactFilter contactFilter,
                        int maxStoredPerSource, int storeSlack, Optional<Publisher> publisher,
                        Optional<LinkKey> linkKey, int lookupPaths, DhtKey key, NodeId ipv6Id, IdBinding idBinding,
                        SessionKeys sessionKeys, int sessionSlots, int newSessionsPerSecond,
                        Set<InetAddress> externalAddresses) {
    public static final int DEFAULT_DATAGRAMS_PER_SECOND_PER_IP = 100;
    /** Disjoint paths per lookup: S/Kademlia's d. */
    public static final int DEFAULT_LOOKUP_PATHS = 3;
    /** Contacts per bucket, and how many closest nodes store a key. */
    public static final int DEFAULT_K = 20;
    /** Session keys a node keeps ({@link dev.kadshare.dht.identity.Sessions}): 64 KiB. */
    public static final int DEFAULT_SESSION_SLOTS = 1024;
    /**
     * Session keys derived a second for requests from keys a node keeps none for (burst twice that). A stranger's
     * request costs its X25519 (65 us), the answer and a PING to check the stranger: about 200 us in all
     * ({@code SessionFloodBenchmark}), so this is a tenth of a core at most, however many spoofed senders bring fresh keys.
     */
    public static final int DEFAULT_NEW_SESSIONS_PER_SECOND = 500;

    public DhtConfig {
        Objects.requireNonNull(id);
        Objects.requireNonNull(bindAddress);
        Objects.requireNonNull(snapshotFile);
        Objects.requireNonNull(lookupBounds);
        Objects.requireNonNull(contactFilter);
        Objects.requireNonNull(publisher);
        Objects.requireNonNull(linkKey);
        Objects.requireNonNull(key);
        Objects.requireNonNull(ipv6Id);
        Objects.requireNonNull(idBinding);
        Objects.requireNonNull(sessionKeys);
        externalAddresses = Set.copyOf(externalAddresses);
        if (sessionSlots < 1 || Integer.bitCount(sessionSlots) != 1) {
            throw new IllegalArgumentException("session slots must be a power of two");
        }
        for (Duration d : new Duration[] {rpcTimeout, rpcTimeoutFloor, seedRetryInterval, bucketRefreshInterval, tokenRotation,
                storageTtl.dividedBy(3), snapshotInterval, lookupTimeLimit}) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("timeouts, intervals and the storage TTL must be positive");
            }
        }
        if (rpcTimeoutFloor.compareTo(rpcTimeout) > 0) {
            throw new IllegalArgumentException("the RPC timeout's floor must not exceed its ceiling");
        }
        if (k < 1 || alpha < 1 || enoughPeers < 1 || maxPeersPerKey < 1 || maxPeersTotal < 1 || maxRecordsPerKey < 1 || maxRecordsTotal < 1) {
            throw new IllegalArgumentException("k, alpha, enough peers and store bounds must be positive");
        }
        if (lookupPaths < 1) {
            throw new IllegalArgumentException("a lookup needs at least one path");
        }
        if (maxStoredPerSource < 1 || storeSlack < 0) {
            throw new IllegalArgumentException("the per-source store quota must be positive and the store slack not negative");
        }
        if (receiveBufferBytes < 0 || maxContactsPerSubnetPerBucket < 0 || maxContactsPerSubnet < 0 || datagramsPerSecondPerIp < 0
                || newSessionsPerSecond < 0) {
            throw new IllegalArgumentException("the receive buffer, the per-IP limits and the new sessions' budget must be 0 (default, off) or positive");
        }
    }

    /**
     * The node with {@code key} whose peers see it at {@code ip}, its id bound to both ({@link IdRule}); k = 20,
     * alpha = 3, RPC timeouts adapted per contact between 200 ms and 2 s, a search stops at 50 peers, 30 min TTL;
     * any local address, a free port; no snapshot; others' ids checked. */
    public static DhtConfig defaults(DhtKey key, InetAddress ip) {
        return builder(key, ip).build();
    }

    /**
     * Starts from {@link #defaults}. A wildcard {@code ip} binds the id to loopback (127.0.0.1, and ::1 for the IPv6
     * core of a dual-stack socket), where a wildcard-bound node says it is; {@link Builder#idAddresses} names others.
     */
    public static Builder builder(DhtKey key, InetAddress ip) {
        return new Builder(key).idAddresses(ip.isAnyLocalAddress() ? Loopback.IPV4 : ip,
                ip instanceof Inet6Address && !ip.isAnyLocalAddress() ? ip : Loopback.IPV6);
    }

    /** Our own announcements and records are renewed every third of their TTL, long before they expire. */
    public Duration republishInterval() {
        return storageTtl.dividedBy(3);
    }

    /** Sets what differs from the defaults; {@link #build} checks the whole. */
    public static final class Builder {
        private final DhtKey key;
        private NodeId id;
        private NodeId ipv6Id;
        private IdBinding idBinding = IdBinding.ENFORCED;
        private SessionKeys sessionKeys = X25519SessionKeys.INSTANCE;
        private int sessionSlots = DEFAULT_SESSION_SLOTS;
        private int newSessionsPerSecond = DEFAULT_NEW_SESSIONS_PER_SECOND;
        private Set<InetAddress> externalAddresses = Set.of();
        private InetSocketAddress bindAddress = new InetSocketAddress(0);
        private int receiveBufferBytes;
        private int k = DEFAULT_K;
        private int alpha = 3;
        private Duration rpcTimeout = Duration.ofSeconds(2);
        private Duration rpcTimeoutFloor = Duration.ofMillis(200);
        private int enoughPeers = 50;
        private Duration seedRetryInterval = Duration.ofSeconds(5);
        private Duration bucketRefreshInterval = Duration.ofMinutes(15);
        private Duration tokenRotation = WriteTokens.DEFAULT_ROTATION;
        private Duration storageTtl = PeerStore.DEFAULT_TTL;
        private int maxPeersPerKey = 200;
        private int maxPeersTotal = 100_000;
        private int maxRecordsPerKey = 20;
        private int maxRecordsTotal = 100_000;
        private int maxStoredPerSource = 256;
        private int storeSlack = 10;
        private Optional<Publisher> publisher = Optional.empty();
        private Optional<LinkKey> linkKey = Optional.empty();
        private int maxContactsPerSubnetPerBucket = AdmissionLimits.DEFAULT_PER_BUCKET;
        private int maxContactsPerSubnet = AdmissionLimits.DEFAULT_PER_TABLE;
        private Lookup.Bounds lookupBounds = Lookup.Bounds.DEFAULT;
        private Duration lookupTimeLimit = Duration.ofSeconds(20);
        private int lookupPaths = DEFAULT_LOOKUP_PATHS;
        private ContactFilter contactFilter = ContactFilter.everywhere();
        private int datagramsPerSecondPerIp = DEFAULT_DATAGRAMS_PER_SECOND_PER_IP;
        private Optional<Path> snapshotFile = Optional.empty();
        private Duration snapshotInterval = Duration.ofMinutes(5);

        private Builder(DhtKey key) {
            this.key = key;
        }

        /**
         * The addresses peers see this node at, which its ids are bound to: {@code ip} for the socket's family (or
         * IPv4 on a dual-stack socket), {@code ipv6} for the IPv6 core of a dual-stack socket.
         */
        public Builder idAddresses(InetAddress ip, InetAddress ipv6) {
            this.id = IdRule.idFor(ip, key.publicKey());
            this.ipv6Id = IdRule.idFor(ipv6, key.publicKey());
            return this;
        }

        /**
         * An id placed by hand instead of the one the key and address give: peers that enforce the id rule will not
         * take this node's answers. For tests of routing by id and simulations of ids chosen freely.
         */
        public Builder id(NodeId placed) {
            this.id = Objects.requireNonNull(placed);
            this.ipv6Id = placed;
            return this;
        }

        /** Whether this node holds others to the id rule; enforced by default. */
        public Builder idBinding(IdBinding binding) {
            this.idBinding = binding;
            return this;
        }

        /**
         * How session keys are derived (X25519 by default; a simulation shares one derivation per pair) and how many
         * this node keeps (a power of two, 1,024 by default).
         */
        public Builder sessions(SessionKeys derivation, int slots) {
            this.sessionKeys = derivation;
            this.sessionSlots = slots;
            return this;
        }

        /**
         * Session keys derived a second for requests from senders whose keys this node keeps none for (burst twice
         * that; {@link #DEFAULT_NEW_SESSIONS_PER_SECOND} by default); past it their requests are dropped unanswered
         * ({@code dropped.SESSION_BUDGET}). 0 = no limit.
         */
        public Builder newSessionsPerSecond(int rate) {
            this.newSessionsPerSecond = rate;
            return this;
        }

        /**
         * Addresses others reach this node at though no interface has them: a host behind a one-to-one NAT that lets
         * traffic in (a cloud VM with a public address), as its operator says. An observer seeing one of them with our
         * port counts as seeing us untranslated, so the node knows itself reachable; none by default. The ids should be
         * bound to them too ({@link #idAddresses}).
         */
        public Builder externalAddresses(Set<InetAddress> addresses) {
            this.externalAddresses = Set.copyOf(addresses);
            return this;
        }

        /** The UDP address {@link Dht#open} binds; port 0 picks a free one. */
        public Builder bindAddress(InetSocketAddress address) {
            this.bindAddress = address;
            return this;
        }

        /** SO_RCVBUF of the socket, for many nodes bursting at one machine; 0 leaves the system's default. */
        public Builder receiveBufferBytes(int bytes) {
            this.receiveBufferBytes = bytes;
            return this;
        }

        /** Bucket size and how many closest nodes a lookup converges on. */
        public Builder k(int k) {
            this.k = k;
            return this;
        }

        /** Queries a lookup keeps in flight. */
        public Builder alpha(int alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * The ceiling of the RPC timeout: a request is given up (and counts against its contact) after this
         * long. A lookup waits less for each contact: its measured round trip (smoothed, plus four times the
         * variance, as TCP does), at least {@code floor}; a contact slower than that has its slot taken over,
         * and its late answer still counts.
         */
        public Builder rpcTimeout(Duration timeout) {
            this.rpcTimeout = timeout;
            return this;
        }

        /** The least a lookup waits for a contact before moving its slot on. */
        public Builder rpcTimeoutFloor(Duration floor) {
            this.rpcTimeoutFloor = floor;
            return this;
        }

        /** A search (GET_PEERS) stops as soon as it has this many peers. */
        public Builder enoughPeers(int peers) {
            this.enoughPeers = peers;
            return this;
        }

        /** How often the seeds are pinged again while the routing table is empty. */
        public Builder seedRetryInterval(Duration interval) {
            this.seedRetryInterval = interval;
            return this;
        }

        /** A bucket untouched this long is refreshed with a lookup of a random id in its range. */
        public Builder bucketRefreshInterval(Duration interval) {
            this.bucketRefreshInterval = interval;
            return this;
        }

        /** How often the secret of our write tokens changes (the previous one stays valid). */
        public Builder tokenRotation(Duration rotation) {
            this.tokenRotation = rotation;
            return this;
        }

        /** TTL of announcements and records where they are stored; ours are renewed every third of it. */
        public Builder storageTtl(Duration ttl) {
            this.storageTtl = ttl;
            return this;
        }

        /** Announced peers stored per key and in all. */
        public Builder peerLimits(int perKey, int total) {
            this.maxPeersPerKey = perKey;
            this.maxPeersTotal = total;
            return this;
        }

        /**
         * Disjoint paths a search runs over (S/Kademlia), sharing alpha out, no contact asked by two; a lookup for the k
         * closest runs on one. 1 is plain Kademlia.
         */
        public Builder lookupPaths(int paths) {
            this.lookupPaths = paths;
            return this;
        }

        /**
         * How far one lookup may go ({@link Lookup.Bounds#DEFAULT}) and for how long (20 s: ten times a lookup under
         * churn); past either it ends with what it has, counted as {@code lookup.bounded.BOUND}.
         */
        public Builder lookupBounds(Lookup.Bounds bounds, Duration timeLimit) {
            this.lookupBounds = bounds;
            this.lookupTimeLimit = timeLimit;
            return this;
        }

        /**
         * Which contacts named in replies lookups follow; every dialable one by default (tests, simulations), a
         * daemon only public ones and those of the networks it is on.
         */
        public Builder contactFilter(ContactFilter filter) {
            this.contactFilter = filter;
            return this;
        }

        /** Records stored per key (the most recent kept) and in all. */
        public Builder recordLimits(int perKey, int total) {
            this.maxRecordsPerKey = perKey;
            this.maxRecordsTotal = total;
            return this;
        }

        /** At most {@code perBucket} contacts of one network (/24, /64) per bucket and {@code perTable} in the routing table; 0 = no limit. */
        public Builder maxContactsPerSubnet(int perBucket, int perTable) {
            this.maxContactsPerSubnetPerBucket = perBucket;
            this.maxContactsPerSubnet = perTable;
            return this;
        }

        /** Inbound datagrams per second accepted from one IP (burst twice that); 0 = no limit. */
        public Builder datagramsPerSecondPerIp(int rate) {
            this.datagramsPerSecondPerIp = rate;
            return this;
        }

        /**
         * Saves the routing table to {@code file} every {@link #snapshotInterval} and at close; at open, a saved
         * snapshot's contacts are pinged so the node rejoins without bootstrap seeds.
         */
        public Builder snapshot(Path file) {
            this.snapshotFile = Optional.of(file);
            return this;
        }

        public Builder snapshotInterval(Duration interval) {
            this.snapshotInterval = interval;
            return this;
        }

        /**
         * Announcements and records one source IP may have stored here, over all keys ({@code perSource}); and how far
         * beyond the k closest to a key this node still stores it ({@code slack}: it stores a key while fewer than k +
         * slack contacts of its table are closer to it).
         */
        public Builder storeRules(int perSource, int slack) {
            this.maxStoredPerSource = perSource;
            this.storeSlack = slack;
            return this;
        }

        /** The key our records are signed with (the daemon's identity key); without one a node draws its own. */
        public Builder publisher(Publisher key) {
            this.publisher = Optional.of(key);
            return this;
        }

        /** The public key of our transfer link, given with our announcements so that getters dial us with IK; none by default. */
        public Builder linkKey(LinkKey key) {
            this.linkKey = Optional.of(key);
            return this;
        }

        public DhtConfig build() {
            return new DhtConfig(id, bindAddress, receiveBufferBytes, k, alpha, rpcTimeout, rpcTimeoutFloor, enoughPeers,
                    seedRetryInterval,
                    bucketRefreshInterval, tokenRotation, storageTtl, maxPeersPerKey, maxPeersTotal, maxRecordsPerKey,
                    maxRecordsTotal, maxContactsPerSubnetPerBucket, maxContactsPerSubnet, datagramsPerSecondPerIp, snapshotFile, snapshotInterval,
                    lookupBounds, lookupTimeLimit, contactFilter, maxStoredPerSource, storeSlack, publisher, linkKey,
                    lookupPaths, key, ipv6Id, idBinding, sessionKeys, sessionSlots, newSessionsPerSecond, externalAddresses);
        }
    }
}
