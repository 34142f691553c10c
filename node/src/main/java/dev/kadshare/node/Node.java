package dev.kadshare.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import dev.kadshare.dht.Dht;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.reach.Mapping;
import dev.kadshare.dht.rendezvous.Introduction;
import dev.kadshare.node.relay.PublicReach;
import dev.kadshare.transfer.netty.RelayService;
import dev.kadshare.dht.DhtStatus;
import dev.kadshare.dht.LookupListener;
import dev.kadshare.node.stream.StreamSource;
import dev.kadshare.transfer.swarm.ChunkOrder;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.DhtKey;
import dev.kadshare.dht.routing.ContactFilter;
import dev.kadshare.node.api.Json;
import dev.kadshare.node.datadir.EntryWriter;
import dev.kadshare.node.events.NodeEvents;
import dev.kadshare.node.identity.NodeIdentity;
import dev.kadshare.dht.store.LinkKey;
import dev.kadshare.dht.store.Publisher;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.link.IntrinsicWarmup;
import dev.kadshare.transfer.link.KnownKeys;
import dev.kadshare.transfer.link.LinkIdentity;
import dev.kadshare.transfer.link.LinkSecurity;
import dev.kadshare.node.discovery.LanMulticast;
import dev.kadshare.node.discovery.LanPeer;
import dev.kadshare.node.discovery.LanPings;
import dev.kadshare.node.library.Library;
import dev.kadshare.node.link.HostPort;
import dev.kadshare.node.library.ServingIndex;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.search.KeywordSearch;
import dev.kadshare.node.search.SearchQuery;
import dev.kadshare.node.search.SearchResult;
import dev.kadshare.node.transfers.PeerStatus;
import dev.kadshare.node.transfers.RateWindow;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferCatalog;
import dev.kadshare.node.transfers.TransferContext;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.net.MonotonicClock;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.TransferWarmup;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.peers.DialPolicy;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.transfer.store.ChunkStore;
import dev.kadshare.transfer.store.ContentLayout;
import dev.kadshare.transfer.store.AfterMove;
import dev.kadshare.transfer.store.ContentStamps;
import dev.kadshare.transfer.store.MovedContent;
import dev.kadshare.transfer.store.Naming;
import dev.kadshare.transfer.store.PlacedContent;
import dev.kadshare.transfer.store.Placement;
import dev.kadshare.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running kadshare node: identity, DHT, transfer server, the library of shared content and the active
 * downloads. The daemon, the demo and the tests all build nodes through {@link #start}.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** Connection attempts to an introduced getter, each as long as the kernel's SYN retransmissions (10 s). */
    private static final int PUNCH_ATTEMPTS = 3;
    /** How many seconds a restarted node waits for its saved contacts before it stops checking. */
    private static final int REJOIN_CHECKS = 30;
    private static final int EPHEMERAL_BIND_ATTEMPTS = 20;
    /** Addresses whose node id and link key the node remembers (for IK, and to expect the same node there). */
    private static final int KNOWN_KEYS = 4096;
    /** Threads that verify (hash) and write a node's received chunks, shared by all its downloads. */
    public static final int HASHING_THREADS = 2;

    private final NodeConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ExecutorService hashing;
    private final Library library;
    private final Dht dht;
    /**
     * The node's id: SHA-256 of its identity key, what its links prove and peers know it by. Not its DHT ids, which
     * are bound to its addresses as well ({@code dht.identity.IdRule}).
     */
    private final NodeId self;
    private final TransferServer server;
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final TransferCatalog catalog;
    private final KeywordSearch keywords;
    private final ServingIndex serving;
    /** Writes the library's and the catalog's entries off the event loops. */
    private final EntryWriter entryWriter;
    private final TransferContext transferContext;
    /** Peers caught sending bad data, banned from every transfer of this node until it stops. */
    private final PeerBans bans;
    /** Connections this node refused or closed of its own accord, by reason: its server's count, shared by its downloads. */
    private final ConnectionDrops drops;
    private final ScheduledFuture<?> rateSampling;
    /** Each share's upload rate, sampled with the transfers' every second. */
    private final Map<ContentId, RateWindow> shareUploads = new ConcurrentHashMap<>();
    /**
     * When the shares were last sampled, at first the node's start (when every share had uploaded nothing); only the
     * sampling task reads and writes it after construction.
     */
    private Optional<Instant> lastShareSample = Optional.of(MonotonicClock.INSTANCE.instant());
    /** What the control API's event stream reports; ids start above those of earlier runs (microseconds now). */
    private final NodeEvents events = new NodeEvents(System.currentTimeMillis() * 1000,
            () -> new NodeEvents.Snapshot(transfers(), sharePeers()));
    /** The LAN addresses pinged into the DHT lately (touched on the discovery loop only). */
    private final LanPings lanPinged = new LanPings();
        /** LAN discovery, when the config asks for it; set once at start. */
    private volatile Optional<LanMulticast> lan = Optional.empty();
    /** The outcome of the bootstrap round {@link #join} started. */
    private final CompletableFuture<Integer> joined = new CompletableFuture<>();

    private Node(NodeConfig config, EventLoopGroup group, boolean ownsGroup, EntryWriter entryWriter, Library library,
            ServingIndex serving, TransferCatalog catalog, Dht dht, TransferServer server, LinkSecurity links,
            PeerBans bans, NodeId self) {
        this.config = config;
        this.self = self;
        this.bans = bans;
        this.drops = server.drops();
        this.entryWriter = entryWriter;
        this.catalog = catalog;
        this.serving = serving;
        this.keywords = new KeywordSearch(dht, this::isSelf, bootstrapped());
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.library = library;
        this.dht = dht;
        this.server = server;
        this.hashing = Executors.newFixedThreadPool(HASHING_THREADS, r -> {
            Thread t = new Thread(r, "kadshare-hash");
            t.setDaemon(true);
            return t;
        });
        // Before the first download: its first hundred megabytes would otherwise run the cipher and hash uncompiled.
        hashing.execute(IntrinsicWarmup::run);
        // One bucket for every download, so --max-download-rate holds for the node as a whole.
        DownloadOptions options = DownloadOptions.builder()
                .hashing(hashing)
                .nodeId(PeerId.of(self.bytes()))
                .listenPort(server.localAddress().getPort())
                .bans(bans)
                .drops(drops)
                .dialPolicy(DialPolicy.reaching(LocalNetworks.of(config.bind().getAddress())))
                .rateLimits(TokenBucket.perSecond(config.limits().downloadBytesPerSecond(),
                        MonotonicClock.INSTANCE::nanos))
                // Until the catalog's COMPLETE entry is on disk, the sidecar says the content moved is the download's.
                .afterMove(AfterMove.KEEP_SIDECAR)
                .build();
        this.transferContext = new TransferContext(dht, group, options, transferListener, MonotonicClock.INSTANCE,
                this::isSelf, links, bootstrapped());
        // Hole punching, our side as a sharer: a getter a holder of our announcement introduces dials us now; we dial it
        // back from our listening port at the same moment and serve on whatever connection that makes.
        dht.onIntroduction(this::punchBack);
        // A publicly reachable node relays for nodes that can neither accept nor punch (both behind symmetric NATs).
        if (config.relay().enabled()) {
            server.offerRelay(new RelayService(config.relay().caps(), this::publiclyReachable));
        }
        // Rates cover the last few seconds whoever asks and however rarely: every transfer is sampled each second.
        this.rateSampling = group.scheduleAtFixedRate(this::sampleRates, 1, 1, TimeUnit.SECONDS);
    }

    /** Whether others can dial us: a useful relay. */
    private boolean publiclyReachable() {
        return PublicReach.of(dht.status().reachability().mapping(), config.bind().getAddress());
    }

    /**
     * Dials an introduced getter from our transfer port, a few times, to serve it on the punched connection; and,
     * unless others can dial us, waits at the introducer as a relay too, for the getter to come through should the
     * punch fail (the getter asks the nodes that introduced it).
     */
    private void punchBack(Introduction introduction) {
        log.info("introduced by {} to a getter at {}: punching", introduction.storer(), introduction.getter());
        if (dht.status().reachability().mapping() != Mapping.OPEN) {
            server.reserveAt(introduction.storer(), server.localAddress().getPort());
        }
        server.punch(introduction.getter(), PUNCH_ATTEMPTS).thenAccept(made -> {
            if (made) {
                log.info("punched a connection to {}", introduction.getter());
            } else {
                log.info("could not punch a connection to {}", introduction.getter());
            }
        });
    }

    /** Starts a node on its own event loops. */
    public static Node start(NodeConfig config) throws IOException {
        return start(config, Transport.preferred().newGroup(2), true);
    }

    /** Starts a node on shared event loops (many nodes in one process); the caller shuts the group down. */
    public static Node start(NodeConfig config, EventLoopGroup group) throws IOException {
        return start(config, group, false);
    }

    private static Node start(NodeConfig config, EventLoopGroup group, boolean ownsGroup) throws IOException {
        EntryWriter entryWriter = new EntryWriter(EntryWriter.FileOps.ATOMIC);
        try {
            Files.createDirectories(config.dataDir().root());
            NodeIdentity identity = NodeIdentity.loadOrCreate(config.dataDir().identityKey());
            Library library = Library.open(config.dataDir().library(), Json.MAPPER, entryWriter);
            TransferCatalog catalog = new TransferCatalog(config.dataDir().transfers(), Json.MAPPER, entryWriter);
            ServingIndex serving = new ServingIndex(library);
            // The node's identity proves itself on every transfer link; downloads share what they learn of others,
            // and the links, the server and the downloads count what they refuse and close in one place.
            LinkSecurity.Encrypted links = LinkSecurity.of(LinkIdentity.fromSeed(identity.seed()), new KnownKeys(KNOWN_KEYS),
                    new ConnectionDrops());
            // Peers caught sending bad data by any download: refused by the server too.
            PeerBans bans = new PeerBans();
            Bound bound = bind(config, DhtKey.fromIdentitySeed(identity.seed()), Publisher.fromSeed(identity.seed()), serving, group, links, bans);
            Node node = new Node(config, group, ownsGroup, entryWriter, library, serving, catalog, bound.dht(),
                    bound.server(), links, bans, NodeId.of(identity.nodeId()));
            serving.whenUnshared(node::unsharedChanged);
            log.info("node {} (DHT id {}) listening on {} (udp+tcp)", node.id().toHex(), bound.dht().id().toHex(),
                    bound.dht().localAddress());
            try {
                node.startLanDiscovery();
                node.join();
                node.restoreTransfers();
                node.events.start();
            } catch (IOException | RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException | RuntimeException e) {
            entryWriter.close();
            if (ownsGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw e;
        }
    }

    private record Bound(Dht dht, TransferServer server) {}

    /** Binds the DHT's UDP port and the transfer server's TCP port of the same number. */
    private static Bound bind(NodeConfig config, DhtKey key, Publisher publisher, ServingIndex serving, EventLoopGroup group,
            LinkSecurity.Encrypted links, PeerBans bans) throws IOException {
        TransferLimits limits = TransferLimits.defaults().withNodeUploadRate(config.limits().uploadBytesPerSecond());
        InetSocketAddress want = config.bind();
        int attempts = want.getPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
        // The DHT renews our announcements and records before they expire, and saves its routing table so that a
        // restart rejoins without seeds. Our announcements carry our link's static key, so a getter's first link to us
        // is IK. Built once: it is the same for every attempt.
        DhtConfig dhtConfig = DhtConfig.builder(key, want.getAddress())
                .idAddresses(config.externalAddress(false).orElseGet(() -> LocalNetworks.idAddress(want.getAddress(), false)),
                        config.externalAddress(true).orElseGet(() -> LocalNetworks.idAddress(want.getAddress(), true)))
                .externalAddresses(Set.copyOf(config.externalAddresses()))
                .bindAddress(want).snapshot(config.dataDir().routingSnapshot()).publisher(publisher)
                .linkKey(LinkKey.of(links.identity().noiseStatic().publicKey()))
                .contactFilter(ContactFilter.reaching(LocalNetworks.of(want.getAddress()))).build();
        for (int attempt = 1; ; attempt++) {
            Dht dht = Dht.open(dhtConfig, group);
            InetSocketAddress tcp = new InetSocketAddress(want.getAddress(), dht.localAddress().getPort());
            try {
                return new Bound(dht, TransferServer.start(tcp, serving, group, limits, links, config.connections(),
                        links.drops(), bans));
            } catch (BindException e) {
                dht.close();
                if (attempt >= attempts) {
                    throw new BindException("TCP port " + tcp.getPort() + " is already in use");
                }
                // The free UDP port we got is taken on TCP: try another free one.
            }
        }
    }

    /**
     * Starts LAN discovery if the config asks for it. A node found on the LAN is pinged into the routing table (so two
     * nodes on one LAN make a network with no bootstrap) and given as a peer to the downloads of what it fetches.
     */
    private void startLanDiscovery() {
        if (!config.lan().enabled()) {
            return;
        }
        if (config.bind().getAddress().isLoopbackAddress()) {
            log.info("LAN discovery off: bound to {}, a loopback address, no LAN to find anyone on", config.bind().getAddress());
            return;
        }
        try {
            lan = Optional.of(LanMulticast.start(config.lan(), config.bind().getAddress(), self, port(),
                    this::foundOnLan, MonotonicClock.INSTANCE));
        } catch (IOException e) {
            // Optional: a node that cannot discover its LAN still works through the DHT.
            log.warn("LAN discovery off: {}", e.getMessage());
        }
    }

    /** On the discovery loop: hands the work to the DHT and the transfers, which run on their own. */
    private void foundOnLan(LanPeer peer, boolean firstSeen) {
        if (firstSeen && lanPinged.firstPing(peer.address())) {
            // In a small network (a LAN of its own, say) our announcements may so far live in our own store only: once
            // the newcomer answers, announce again, so that its lookups find what we share.
            boolean small = routingTableSize() < DhtConfig.DEFAULT_K;
            dht.bootstrapFromNeighbour(peer.address()).whenComplete((size, failure) -> {
                if (failure == null && small) {
                    announceAll();
                }
            });
        }
        for (ContentId id : peer.fetching()) {
            Transfer transfer = transfers.get(id.toHex());
            if (transfer != null) {
                transfer.addPeerHint(peer.address());
            }
        }
    }

    /** Tells LAN discovery what this node fetches now: the downloads still searching or downloading, newest last. */
    private void updateLanFetching() {
        lan.ifPresent(discovery -> discovery.fetching(transfers.values().stream()
                .filter(t -> t.state() == TransferState.SEARCHING || t.state() == TransferState.DOWNLOADING)
                .map(t -> t.link().contentId()).toList()));
    }

    private void join() {
        if (config.bootstrap().isEmpty()) {
            joined.complete(0);
            // A new network, or a restart rejoining through the saved routing table: announce now for the
            // former, and again once the saved contacts answer for the latter.
            log.info("no bootstrap given: rejoining from the saved routing table, if any");
            announceAll();
            announceOnceJoined(REJOIN_CHECKS);
            return;
        }
        // Announcing before we know anyone would reach no one: wait for the join, whatever its outcome.
        dht.bootstrap(config.bootstrap()).whenComplete((size, failure) -> {
            if (failure != null) {
                joined.completeExceptionally(failure);
                log.warn("bootstrap from {} failed ({}); retrying in the background", config.bootstrap(),
                        failure.getMessage());
            } else {
                log.info("joined the network: {} contacts", size);
                joined.complete(size);
            }
            announceAll();
        });
    }

    private void announceOnceJoined(int checksLeft) {
        if (routingTableSize() > 0) {
            announceAll();
        } else if (checksLeft > 0) {
            group.schedule(() -> announceOnceJoined(checksLeft - 1), 1, TimeUnit.SECONDS);
        }
    }

    /** Completes once the bootstrap round finished (for callers that want to wait for it, like tests). */
    public CompletableFuture<Integer> bootstrapped() {
        return joined.copy();
    }

    /**
     * Runs the transfer path once over loopback in the background ({@link TransferWarmup}), so the first transfer
     * a user asks for does not run cold code; the daemon calls it at start. Completes with the downloads done.
     */
    public CompletableFuture<Integer> warmUp() {
        deleteWarmupLeftovers(); // a daemon killed during its warm-up left them; the data dir is ours alone
        long start = MonotonicClock.INSTANCE.nanos();
        log.info("warming up the transfer path: {} downloads of a throwaway {} from a throwaway server on loopback",
                TransferWarmup.ROUNDS, TransferWarmup.NAME);
        return TransferWarmup.run(group, hashing, config.dataDir().warmup(), TransferWarmup.ROUNDS,
                TransferWarmup.ROUND_LIMIT)
                .whenComplete((rounds, error) -> {
                    if (error == null) {
                        log.info("transfer path warmed up: {} loopback downloads in {} ms", rounds,
                                (MonotonicClock.INSTANCE.nanos() - start) / 1_000_000);
                    } else {
                        log.info("transfer path not warmed up (the first transfer may take longer): {}", error.toString());
                    }
                });
    }

    private void deleteWarmupLeftovers() {
        try {
            if (Files.exists(config.dataDir().warmup())) {
                MoreFiles.deleteRecursively(config.dataDir().warmup(), RecursiveDeleteOption.ALLOW_INSECURE);
            }
        } catch (IOException e) {
            log.warn("could not delete {}: {}", config.dataDir().warmup(), e.toString());
        }
    }

    /** The node's id (its identity key's SHA-256), as its links prove it. */
    public NodeId id() {
        return self;
    }

    public int port() {
        return dht.localAddress().getPort();
    }

    /** Connections this node refused or closed of its own accord, by reason. */
    public ConnectionDrops connectionDrops() {
        return drops;
    }

    /** The node's links: its identity, the keys handshakes proved and the DHT hinted (for tests). */
    LinkSecurity links() {
        return transferContext.links();
    }

    public InetSocketAddress address() {
        return dht.localAddress();
    }

    /** Hashes a file off the event loops, adds it to the library and announces it. */
    public CompletableFuture<ShareResult> share(Path path) {
        return share(path, Optional.empty());
    }

    /**
     * Shares a file, or a directory with everything below it, under {@code name} (default: the file's own
     * name), as seen by downloaders. Fails with {@link CannotShareException} if it cannot be read and hashed.
     */
    public CompletableFuture<ShareResult> share(Path path, Optional<String> name) {
        Path given = path.toAbsolutePath().normalize();
        return CompletableFuture.supplyAsync(() -> {
            try {
                String shownName = name.orElse(given.getFileName().toString());
                // A link the user names is followed once, here: served from what it names, never through a link.
                Path file = given.toRealPath();
                // Stamped before it is hashed and again after: a file written meanwhile would not match its hashes.
                ContentStamps before = ContentStamps.ofTree(file);
                Manifest manifest = Files.isDirectory(file)
                        ? Manifest.ofDirectory(file, shownName)
                        : Manifest.ofFile(file, shownName);
                ContentStamps stamps = ContentStamps.of(ContentLayout.of(manifest, file));
                if (!stamps.agreesWith(before)) {
                    throw new IOException("it changed while it was being hashed; share it again once it is written");
                }
                addToLibrary(manifest, file, Naming.ORIGINAL, stamps);
                events.shareAdded(shareStatus(library.find(manifest.contentId()).orElseThrow()));
                log.info("sharing {} ({}, {} bytes) from {}", manifest.name(), manifest.contentId().toHex(),
                        manifest.length(), file);
                // We are the only holder of what we just hashed: hand each chunk out once before any twice.
                server.seedInitially(manifest.contentId());
                return manifest;
            } catch (IOException e) {
                throw new CannotShareException(given, e);
            }
        }, hashing).thenCompose(manifest -> announce(manifest).thenApply(count -> new ShareResult(
                manifest.contentId().toHex(), manifest.name(), manifest.length(), linkOf(manifest).format(), count)));
    }

    /**
     * Serves the content from the library, stamped, and has the server check those stamps from now on: a download's
     * hub serves on once its content is complete, and a share made again replaces the stamps a hub already holds.
     */
    private void addToLibrary(Manifest manifest, Path file, Naming naming, ContentStamps stamps) {
        library.add(manifest, file, naming, stamps);
        server.stamped(manifest.contentId(), stamps);
    }

    /** What follows a share leaving the library: its keywords withdrawn, the event told (the caller withdraws its announcement). */
    private void unshared(SharedContent content) {
        events.shareRemoved(content.manifest().contentId().toHex());
        keywords.withdraw(content.manifest(), library.all().stream().map(SharedContent::manifest).toList());
    }

    /** The server found a file of a share changed since it was hashed: no longer shared, said in the log. */
    private void unsharedChanged(SharedContent content) {
        log.warn("stopped sharing {} ({}): a file of {} changed since it was shared; share it again to serve it as it is now",
                content.manifest().name(), content.manifest().contentId().toHex(), content.file());
        dht.withdraw(NodeId.of(content.manifest().contentId().bytes()));
        unshared(content);
    }

    private static MagnetLink linkOf(Manifest manifest) {
        return MagnetLink.of(manifest.contentId(), manifest.name(), manifest.length());
    }

    /** Announces us as a holder of the content and publishes the keywords of its name and its files' names. */
    private CompletableFuture<Integer> announce(Manifest manifest) {
        keywords.publish(manifest)
                .whenComplete((count, failure) -> {
                    if (failure != null) {
                        log.warn("publishing keywords of {} failed: {}", manifest.name(), failure.toString());
                    }
                });
        return dht.announce(NodeId.of(manifest.contentId().bytes()), port());
    }

    /**
     * Finds shares whose names, or the names of files inside them, have words starting with the query's
     * words, through the DHT's keyword records; each of the best hits with the number of peers holding it.
     */
    public CompletableFuture<List<SearchResult>> search(SearchQuery query) {
        return keywords.search(query);
    }

    /** Our own entry among the peers a lookup returns: our port, on a local address. */
    private boolean isSelf(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        return peer.getPort() == port() && ip != null
                && (ip.isLoopbackAddress() || ip.isAnyLocalAddress() || ip.equals(address().getAddress())
                        // behind a NAT: our router's address, where others see us (a dial there does not come back)
                        || dht.status().reachability().externalIp().filter(ip::equals).isPresent());
    }

    private void announceAll() {
        for (SharedContent content : library.all()) {
            announce(content.manifest()).whenComplete((count, failure) -> {
                if (failure != null) {
                    log.warn("announce of {} failed: {}", content.manifest().contentId().toHex(), failure.toString());
                }
            });
        }
    }

    /**
     * Starts downloading what a link names into {@code outDir}, or returns the transfer already doing so (a
     * paused or failed one resumes). Once complete, the file joins the library and the node announces itself
     * as a holder. Throws {@link AlreadyDownloadingException} if it is being downloaded into another directory.
     */
    public Transfer get(MagnetLink link, Path outDir) {
        return get(link, outDir, ChunkOrder.RAREST_FIRST);
    }

    /**
     * As {@link #get(MagnetLink, Path)}, asking for the chunks in {@code order} (a transfer already there takes it
     * from its next attempt on).
     */
    public Transfer get(MagnetLink link, Path outDir, ChunkOrder order) {
        String key = link.contentId().toHex();
        Path out = outDir.toAbsolutePath().normalize();
        synchronized (transfers) {
            Transfer existing = transfers.get(key);
            if (existing != null && copyIsGone(existing)) {
                // The user deleted (or edited) what this node downloaded: asked again, it downloads again, beside an
                // edited copy (a name is never reused), and stops offering (and announcing) a file it no longer has.
                log.info("the downloaded copy of {} at {} is gone or changed; downloading it again", key,
                        existing.file().orElseThrow());
                forget(key);
                existing = null;
            }
            if (existing != null) {
                if (!existing.outDir().equals(out)) {
                    throw new AlreadyDownloadingException(key, existing.outDir(), existing.state());
                }
                existing.order(order);
                catalog.save(key, TransferCatalog.Entry.of(existing)); // the order, even if its state stays
                existing.resume();
                return existing;
            }
            Transfer transfer = new Transfer(link, out, transferContext);
            transfer.order(order);
            events.transferAdded(statusOf(transfer));
            transfers.put(key, transfer);
            transfer.start();
            return transfer;
        }
    }

    /**
     * A complete transfer whose file or directory is no longer where it was downloaded, or no longer shared because it
     * was found changed since (the library dropped it).
     */
    private boolean copyIsGone(Transfer transfer) {
        return transfer.state() == TransferState.COMPLETE && transfer.file().map(path -> !Files.exists(path,
                LinkOption.NOFOLLOW_LINKS) || library.find(transfer.link().contentId()).isEmpty()).orElse(false);
    }

    /** Forgets a transfer and its share, as {@code remove} without deleting anything does. */
    private void forget(String contentId) {
        try {
            remove(contentId, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // deletes nothing, so reads and writes nothing but the catalog
        }
    }

    /** Persists each transfer as it moves; on completion serves and announces the file. */
    private final Transfer.Listener transferListener = new Transfer.Listener() {
        @Override
        public void stateChanged(Transfer transfer) {
            catalog.save(transfer.link().contentId().toHex(), TransferCatalog.Entry.of(transfer));
            events.stateChanged(statusOf(transfer));
            updateLanFetching();
        }

        @Override
        public void serving(Transfer transfer, NettyDownload download) {
            serving.addPartial(transfer.link().contentId(), download);
        }

        @Override
        public void holding(Transfer transfer) {
            dht.announce(NodeId.of(transfer.link().contentId().bytes()), port());
        }

        @Override
        public void released(Transfer transfer) {
            serving.removePartial(transfer.link().contentId());
        }

        @Override
        public void completed(Manifest manifest, Path file) {
            ContentStamps stamps;
            try {
                stamps = ContentStamps.of(ContentLayout.of(manifest, file, Naming.LOCAL));
            } catch (IOException e) {
                log.warn("not seeding {}: {}", file, e.toString()); // gone already: nothing to serve
                return;
            }
            addToLibrary(manifest, file, Naming.LOCAL, stamps); // its files are named as the download named them
            library.find(manifest.contentId()).ifPresent(c -> events.shareAdded(shareStatus(c)));
            announce(manifest);
        }
    };

    /**
     * Picks up every transfer the catalog holds: finished and failed ones are listed, the others resume unless paused.
     * One whose download moved the content into place before the node stopped, its COMPLETE entry not yet written, is
     * complete: its sidecar says so.
     */
    private void restoreTransfers() throws IOException {
        for (TransferCatalog.Entry entry : catalog.load()) {
            MagnetLink link;
            Path out;
            Path done;
            try {
                link = MagnetLink.parse(entry.link());
                // A damaged record (a field missing, a path with a NUL) is skipped, not the whole start failed.
                if (entry.outDir() == null || entry.state() == null
                        || (entry.state() == TransferState.COMPLETE && entry.path() == null)) {
                    throw new IllegalArgumentException("record of " + link.contentId().toHex() + " misses a field");
                }
                out = Path.of(entry.outDir());
                done = entry.state() == TransferState.COMPLETE ? Path.of(entry.path()) : null;
            } catch (IllegalArgumentException e) { // InvalidPathException included
                log.warn("skipping bad transfer record: {}", e.getMessage());
                continue;
            }
            Optional<MovedContent> moved = entry.state() == TransferState.COMPLETE ? Optional.empty()
                    : moved(link, out);
            if (moved.isPresent()) {
                restoreMoved(link, out, moved.get(), entry.chunkOrder());
                continue;
            }
            if (entry.state() == TransferState.COMPLETE) {
                catalog.settle(link.contentId().toHex(), entry.outDir()); // a stop before the sidecar went
            }
            Transfer transfer = switch (entry.state()) {
                case COMPLETE -> Transfer.completed(link, out, done, entry.placed(),
                        library.find(link.contentId()).map(c -> c.manifest()), transferContext);
                case PAUSED -> Transfer.paused(link, out, transferContext);
                // It stays failed, with its reason, until the user resumes it (a record without one: say so).
                case FAILED -> Transfer.failed(link, out, Optional.ofNullable(entry.error())
                        .orElse("failed before the daemon restarted"), transferContext);
                default -> new Transfer(link, out, transferContext);
            };
            transfer.order(entry.chunkOrder());
            transfers.put(link.contentId().toHex(), transfer);
            if (transfer.state() == TransferState.SEARCHING) {
                log.info("resuming download of {}", link.contentId().toHex());
                transfer.start();
            }
        }
    }

    /** The content of {@code link} its download moved into place in {@code out}, as its sidecar says, if it did. */
    private static Optional<MovedContent> moved(MagnetLink link, Path out) {
        try {
            return ChunkStore.movedIntoPlace(link.contentId(), out);
        } catch (IOException | RuntimeException e) { // an output directory gone or unreadable: resumed as it was
            log.warn("cannot read the sidecar of {} in {}: {}", link.contentId().toHex(), out, e.toString());
            return Optional.empty();
        }
    }

    /** A transfer whose content was moved into place: COMPLETE, seeded, and recorded so at last. */
    private void restoreMoved(MagnetLink link, Path out, MovedContent moved, ChunkOrder order) {
        log.info("download of {} was complete at {} before the restart", link.contentId().toHex(), moved.root());
        Transfer transfer = Transfer.completed(link, out, moved.root(), Placement.WRITTEN,
                Optional.of(moved.manifest()), transferContext);
        transfer.order(order);
        transfers.put(link.contentId().toHex(), transfer);
        transferListener.completed(moved.manifest(), moved.root());
        catalog.save(link.contentId().toHex(), TransferCatalog.Entry.of(transfer));
    }

    /** The content that {@code prefix} names among this node's transfers and shares, as git resolves abbreviated commits. */
    public IdMatch resolveId(String prefix) {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        java.util.Set<String> matches = new java.util.TreeSet<>();
        transfers.keySet().stream().filter(id -> id.startsWith(p)).forEach(matches::add);
        library.all().stream().map(c -> c.manifest().contentId().toHex()).filter(id -> id.startsWith(p))
                .forEach(matches::add);
        if (p.isEmpty() || matches.isEmpty()) {
            return new IdMatch.None(prefix);
        }
        if (matches.size() > 1) {
            return new IdMatch.Several(prefix, matches.size());
        }
        return new IdMatch.One(matches.iterator().next());
    }

    /** Pauses the transfer of {@code contentId}; empty if there is none. */
    public Optional<TransferStatus> pause(String contentId) {
        return Optional.ofNullable(transfers.get(contentId)).map(transfer -> {
            transfer.pause();
            return statusOf(transfer);
        });
    }

    /** Resumes the paused or failed transfer of {@code contentId}; empty if there is none. */
    public Optional<TransferStatus> resume(String contentId) {
        return Optional.ofNullable(transfers.get(contentId)).map(transfer -> {
            transfer.resume();
            return statusOf(transfer);
        });
    }

    /** As {@link #remove(String, boolean, boolean)}, never deleting a shared original. */
    public Optional<Removal> remove(String contentId, boolean deleteData) throws IOException {
        return remove(contentId, deleteData, false);
    }

    /**
     * Forgets a transfer and stops sharing its content. With {@code deleteData} also deletes what this node
     * downloaded of it, in whatever state: the partial file and its sidecar, or the finished file or directory
     * (its files, and its directories once empty). A file or directory the user shared, or one a download found
     * whole in place, was theirs before, so it goes only with {@code deleteOriginal}. Works for content this node
     * shared itself as well; empty if there is no transfer or share of {@code contentId}.
     */
    public Optional<Removal> remove(String contentId, boolean deleteData, boolean deleteOriginal) throws IOException {
        ContentId id = ContentId.fromHex(contentId);
        Transfer transfer = transfers.remove(contentId);
        Optional<SharedContent> shared = library.remove(id);
        if (transfer == null && shared.isEmpty()) {
            return Optional.empty();
        }
        CompletableFuture<Void> stopped = CompletableFuture.completedFuture(null);
        Optional<Path> downloaded = Optional.empty();
        if (transfer != null) {
            stopped = transfer.remove(deleteData);
            downloaded = transfer.file();
            catalog.remove(contentId);
            if (!deleteData) {
                // A sidecar kept after the move stands in for a COMPLETE entry that may never land now (a write the
                // disk refused, replaced by the delete): forgotten, the transfer leaves nothing for it to stand for.
                // Once the download let go of its files, so a move under way is recorded first; off the caller.
                String outDir = transfer.outDir().toString();
                var unused = stopped.whenCompleteAsync((v, e) -> catalog.settle(contentId, outDir), hashing);
            }
            events.transferRemoved(contentId);
            updateLanFetching();
        }
        dht.withdraw(NodeId.of(id.bytes()));
        shared.ifPresent(this::unshared);
        boolean dataDeleted = false;
        boolean originalDeleted = false;
        String originalKept = null;
        List<String> editedKept = new ArrayList<>();
        if (transfer != null && deleteData) {
            awaitStop(stopped, contentId);
            // Whatever state it was in (failed, paused, stuck searching), its partial file and sidecar go too; an
            // output directory that never came to be (the reason it failed, say) holds nothing to delete.
            if (Files.isDirectory(transfer.outDir())) {
                deleting(transfer.outDir(), () -> ChunkStore.discard(id, transfer.outDir()));
            }
            dataDeleted = true;
        }
        if (shared.isPresent()) {
            SharedContent content = shared.get();
            // Content a download found whole in place was the user's before: it goes only as an original would.
            boolean ours = downloaded.equals(Optional.of(content.file())) && transfer.placement() == Placement.WRITTEN;
            if (ours ? deleteData : deleteOriginal) {
                // What the download wrote goes, but not a file the user edited since: that is the user's work now.
                ContentStamps keepChanged = ours ? content.stamps() : ContentStamps.NONE;
                deleting(content.file(), () -> new PlacedContent(content.manifest(), content.file(), content.naming())
                        .delete(keepChanged).forEach(kept -> editedKept.add(kept.toString())));
                dataDeleted |= ours;
                originalDeleted = !ours;
            } else if (!ours && deleteData) {
                originalKept = content.file().toString();
            }
        }
        log.info("removed {}{}{}{}", contentId, dataDeleted ? ", its data deleted" : "",
                originalDeleted ? ", its shared original deleted" : "",
                editedKept.isEmpty() ? "" : ", kept files edited since the download: " + editedKept);
        return Optional.of(new Removal(contentId, dataDeleted, originalDeleted, originalKept, List.copyOf(editedKept)));
    }

    /** Waits (bounded: a hung disk must not hang the caller) until the download let go of its files. */
    private static void awaitStop(CompletableFuture<Void> stopped, String contentId) {
        try {
            stopped.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("download of {} did not let go of its files; deleting them anyway", contentId);
        }
    }

    private interface Deletion {
        void run() throws IOException;
    }

    private static void deleting(Path what, Deletion deletion) {
        try {
            deletion.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + what + ": " + e.getMessage(), e);
        }
    }

    public Optional<TransferStatus> transfer(String contentId) {
        return Optional.ofNullable(transfers.get(contentId)).map(this::statusOf);
    }

    /** Where {@code transfer} stands, with what this node uploaded of it and to whom. */
    public TransferStatus statusOf(Transfer transfer) {
        ContentId id = transfer.link().contentId();
        return transfer.status(server.uploads().bytesUploaded(id)).withUploads(server.uploads().peers(id),
                self.toHex(), server::routeOf);
    }

    private void sampleRates() {
        try {
            sampleRatesNow();
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: say why, and keep sampling.
            log.warn("sampling transfer and share rates failed", e);
        }
    }

    private void sampleRatesNow() {
        transfers.values().forEach(t -> t.sample(server.uploads().bytesUploaded(t.link().contentId())));
        Instant now = MonotonicClock.INSTANCE.instant();
        Set<ContentId> shared = new HashSet<>();
        for (SharedContent c : library.all()) {
            ContentId id = c.manifest().contentId();
            shared.add(id);
            RateWindow rate = shareUploads.computeIfAbsent(id, k -> {
                RateWindow fresh = new RateWindow(Transfer.RATE_WINDOW);
                // A share new since the last sample (or the node's start) had uploaded nothing then: what it shows
                // now came since.
                lastShareSample.ifPresent(then -> fresh.record(then, 0));
                return fresh;
            });
            synchronized (rate) {
                rate.record(now, server.uploads().bytesUploaded(id));
            }
        }
        shareUploads.keySet().retainAll(shared); // a share removed takes its rate along
        lastShareSample = Optional.of(now);
    }

    public PeersStatus peers() {
        List<PeersStatus.ContentPeers> perTransfer = transfers().stream()
                .map(t -> new PeersStatus.ContentPeers(t.contentId(), t.name(), t.peers())).toList();
        return new PeersStatus(routingTableSize(), perTransfer, sharePeers());
    }

    /** How many contacts the DHT's routing table holds now (none: a lookup asks no one). */
    public int routingTableSize() {
        return dht.status().routingTableSize();
    }

    /** For every share, the peers this node uploads it to. */
    private List<PeersStatus.ContentPeers> sharePeers() {
        return library.all().stream()
                .map(c -> new PeersStatus.ContentPeers(c.manifest().contentId().toHex(), c.manifest().name(),
                        server.uploads().peers(c.manifest().contentId()).stream()
                                .map(u -> PeerStatus.uploadedTo(u, server.routeOf(u.address())))
                                .filter(p -> !self.toHex().equals(p.nodeId())).toList()))
                .sorted(Comparator.comparing(PeersStatus.ContentPeers::name)).toList();
    }

    /** What this node shares, by name. */
    public List<NodeStatus.ShareStatus> shares() {
        return library.all().stream().map(this::shareStatus).sorted(Comparator.comparing(NodeStatus.ShareStatus::name))
                .toList();
    }

    private NodeStatus.ShareStatus shareStatus(SharedContent c) {
        ContentId id = c.manifest().contentId();
        RateWindow rate = shareUploads.get(id);
        long uploadRate;
        if (rate == null) {
            uploadRate = 0;
        } else {
            synchronized (rate) {
                uploadRate = rate.bytesPerSecond(MonotonicClock.INSTANCE.instant());
            }
        }
        return new NodeStatus.ShareStatus(id.toHex(), c.manifest().name(), c.manifest().length(),
                c.file().toString(), linkOf(c.manifest()).format(), server.uploads().bytesUploaded(id), uploadRate);
    }

    /** The node's events, for the control API's stream. */
    public NodeEvents events() {
        return events;
    }

    /** Every transfer, by name. */
    public List<TransferStatus> transfers() {
        return transfers.values().stream().map(this::statusOf).sorted(Comparator.comparing(TransferStatus::name)).toList();
    }

    /** Where a reader can read the content of transfer {@code contentId} from now; empty if there is no such transfer. */
    public Optional<StreamSource> streamSource(String contentId) {
        Transfer t = transfers.get(contentId);
        if (t == null) {
            return Optional.empty();
        }
        Optional<NettyDownload> reading = t.streamable();
        Optional<Manifest> manifest = reading.flatMap(d -> d.progress().manifest());
        if (manifest.isPresent()) {
            return Optional.of(new StreamSource.Downloading(manifest.get(), reading.get()));
        }
        if (t.state() == TransferState.COMPLETE) {
            Optional<SharedContent> shared = library.find(ContentId.fromHex(contentId));
            if (shared.isPresent()) {
                return Optional.of(new StreamSource.Complete(shared.get().manifest(), shared.get().file(),
                        shared.get().naming()));
            }
        }
        String why = switch (t.state()) {
            case PAUSED -> "the transfer is paused: resume it first";
            case FAILED -> "the transfer failed: " + t.error().orElse("see status");
            case COMPLETE -> "the transfer's content is no longer in the library";
            default -> "no peer has sent the manifest yet; try again in a moment";
        };
        return Optional.of(new StreamSource.Unavailable(why));
    }

    /** Connections other nodes hold to this node's transfer server now. */
    public int inboundConnections() {
        return server.openConnections();
    }

    /** Connections this node's downloads hold open to peers (past HELLO) now. */
    public int outboundConnections() {
        return transfers.values().stream().mapToInt(Transfer::connectedPeers).sum();
    }

    /** {@code listener} hears of every DHT lookup this node finishes, on the DHT's loop. */
    public void addLookupListener(LookupListener listener) {
        dht.addLookupListener(listener);
    }

    public NodeStatus status() {
        DhtStatus d = dht.status();
        return new NodeStatus(self.toHex(), port(), server.localAddress().getPort(), d.routingTableSize(),
                NodeStatus.ReachabilityStatus.of(d.reachability()), d.counters(), bans.counts(), drops.snapshot(), shares(),
                transfers(), lanStatus(), relayStatus());
    }

    private NodeStatus.RelayServiceStatus relayStatus() {
        return server.relay().map(r -> NodeStatus.RelayServiceStatus.of(r.offered(), r.caps(), r.snapshot(),
                        server.relayedConnections()))
                .orElseGet(() -> NodeStatus.RelayServiceStatus.off(server.relayedConnections()));
    }

    private NodeStatus.LanStatus lanStatus() {
        LanMulticast.Status s = lan.map(LanMulticast::status).orElse(LanMulticast.Status.OFF);
        java.time.Instant now = MonotonicClock.INSTANCE.instant();
        List<NodeStatus.LanPeerStatus> peers = s.peers().stream().map(p -> new NodeStatus.LanPeerStatus(
                p.nodeId().toHex(), HostPort.format(p.address()), p.interfaceName(), p.fetching().size(),
                java.time.Duration.between(p.lastSeen(), now).toSeconds())).toList();
        return new NodeStatus.LanStatus(lan.isPresent(), HostPort.format(config.lan().group()), s.interfaces(),
                peers, s.counters());
    }

    @Override
    public void close() {
        events.close();
        rateSampling.cancel(false);
        lan.ifPresent(LanMulticast::close);
        transfers.values().forEach(Transfer::close);
        server.close();
        dht.close();
        hashing.shutdownNow();
        entryWriter.close(); // after the transfers stopped, so their last states are written too
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        deleteWarmupLeftovers(); // a warm-up still running when the node stops cleans up no more
    }
}
