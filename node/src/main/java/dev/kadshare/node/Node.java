package dev.kadshare.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kadshare.dht.Dht;
import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.DhtStatus;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.node.api.Json;
import dev.kadshare.node.identity.NodeIdentity;
import dev.kadshare.node.library.Library;
import dev.kadshare.node.library.ServingIndex;
import dev.kadshare.node.link.MagnetLink;
import dev.kadshare.node.search.KeywordRecord;
import dev.kadshare.node.search.KeywordSearch;
import dev.kadshare.node.search.SearchResult;
import dev.kadshare.node.transfers.Transfer;
import dev.kadshare.node.transfers.TransferCatalog;
import dev.kadshare.node.transfers.TransferContext;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.node.transfers.TransferStatus;
import dev.kadshare.transfer.SharedContent;
import dev.kadshare.transfer.TokenBucket;
import dev.kadshare.transfer.TransferLimits;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.TransferServer;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.download.DownloadOptions;
import dev.kadshare.transfer.netty.NettyDownload;
import dev.kadshare.net.Transport;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running kadshare node: identity, DHT, transfer server, the library of shared content and the active
 * downloads. The daemon, the demo and the tests all build nodes through {@link #start}.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** How many seconds a restarted node waits for its saved contacts before it stops checking. */
    private static final int REJOIN_CHECKS = 30;
    private static final int EPHEMERAL_BIND_ATTEMPTS = 20;

    private final NodeConfig config;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ExecutorService hashing;
    private final Library library;
    private final Dht dht;
    private final TransferServer server;
    private final Map<String, Transfer> transfers = new ConcurrentHashMap<>();
    private final TransferCatalog catalog;
    private final KeywordSearch keywords;
    private final ServingIndex serving;
    private final TransferContext transferContext;
    /** The outcome of the bootstrap round {@link #join} started. */
    private final CompletableFuture<Integer> joined = new CompletableFuture<>();

    private Node(NodeConfig config, EventLoopGroup group, boolean ownsGroup, Library library, ServingIndex serving,
            TransferCatalog catalog, Dht dht, TransferServer server) {
        this.config = config;
        this.catalog = catalog;
        this.serving = serving;
        this.keywords = new KeywordSearch(dht);
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.library = library;
        this.dht = dht;
        this.server = server;
        this.hashing = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kadshare-hash");
            t.setDaemon(true);
            return t;
        });
        // One bucket for every download, so --max-download-rate holds for the node as a whole.
        DownloadOptions options = DownloadOptions.defaults()
                .withHashing(hashing)
                .withNodeId(PeerId.of(dht.id().bytes()))
                .withListenPort(server.localAddress().getPort())
                .withRateLimits(TokenBucket.perSecond(config.limits().downloadBytesPerSecond()));
        this.transferContext = new TransferContext(dht, group, options, transferListener);
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
        try {
            Files.createDirectories(config.dataDir().root());
            NodeIdentity identity = NodeIdentity.loadOrCreate(config.dataDir().identityKey());
            Library library = Library.open(config.dataDir().library(), Json.MAPPER);
            TransferCatalog catalog = new TransferCatalog(config.dataDir().transfers(), Json.MAPPER);
            ServingIndex serving = new ServingIndex(library);
            Bound bound = bind(config, NodeId.of(identity.nodeId()), serving, group);
            Node node = new Node(config, group, ownsGroup, library, serving, catalog, bound.dht(), bound.server());
            log.info("node {} listening on {} (udp+tcp)", bound.dht().id().toHex(), bound.dht().localAddress());
            try {
                node.join();
                node.restoreTransfers();
            } catch (IOException | RuntimeException e) {
                node.close();
                throw e;
            }
            return node;
        } catch (IOException | RuntimeException e) {
            if (ownsGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            throw e;
        }
    }

    private record Bound(Dht dht, TransferServer server) {}

    /** Binds the DHT's UDP port and the transfer server's TCP port of the same number. */
    private static Bound bind(NodeConfig config, NodeId id, ServingIndex serving, EventLoopGroup group)
            throws IOException {
        TransferLimits limits = TransferLimits.defaults().withNodeUploadRate(config.limits().uploadBytesPerSecond());
        InetSocketAddress want = config.bind();
        int attempts = want.getPort() == 0 ? EPHEMERAL_BIND_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            // The DHT renews our announcements and records before they expire, and saves its routing table so
            // that a restart rejoins without seeds.
            Dht dht = Dht.open(DhtConfig.defaults(id, want).withSnapshot(config.dataDir().routingSnapshot()), group);
            InetSocketAddress tcp = new InetSocketAddress(want.getAddress(), dht.localAddress().getPort());
            try {
                return new Bound(dht, TransferServer.start(tcp, serving, group, limits, PeerId.of(id.bytes())));
            } catch (BindException e) {
                dht.close();
                if (attempt >= attempts) {
                    throw new BindException("TCP port " + tcp.getPort() + " is already in use");
                }
                // The free UDP port we got is taken on TCP: try another free one.
            }
        }
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
        if (dht.status().routingTableSize() > 0) {
            announceAll();
        } else if (checksLeft > 0) {
            group.schedule(() -> announceOnceJoined(checksLeft - 1), 1, TimeUnit.SECONDS);
        }
    }

    /** Completes once the bootstrap round finished (for callers that want to wait for it, like tests). */
    public CompletableFuture<Integer> bootstrapped() {
        return joined.copy();
    }

    public NodeId id() {
        return dht.id();
    }

    public int port() {
        return dht.localAddress().getPort();
    }

    public InetSocketAddress address() {
        return dht.localAddress();
    }

    /** Hashes a file off the event loops, adds it to the library and announces it. */
    public CompletableFuture<ShareResult> share(Path path) {
        return share(path, Optional.empty());
    }

    /** Shares a file, or a directory with everything below it, under {@code name} (default: the file's own name), as seen by downloaders. */
    public CompletableFuture<ShareResult> share(Path path, Optional<String> name) {
        Path file = path.toAbsolutePath().normalize();
        return CompletableFuture.supplyAsync(() -> {
            try {
                String shownName = name.orElse(file.getFileName().toString());
                Manifest manifest = Files.isDirectory(file)
                        ? Manifest.ofDirectory(file, shownName)
                        : Manifest.ofFile(file, shownName);
                library.add(manifest, file);
                // We are the only holder of what we just hashed: hand each chunk out once before any twice.
                server.uploads().seedInitially(manifest.contentId(), manifest.chunkCount());
                return manifest;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, hashing).thenCompose(manifest -> announce(manifest).thenApply(count -> new ShareResult(
                manifest.contentId().toHex(), manifest.name(), manifest.length(), linkOf(manifest).format(), count)));
    }

    private static MagnetLink linkOf(Manifest manifest) {
        return MagnetLink.of(manifest.contentId(), manifest.name(), manifest.length());
    }

    /** Announces us as a holder of the content and publishes its name's keywords. */
    private CompletableFuture<Integer> announce(Manifest manifest) {
        keywords.publish(keywordRecord(manifest))
                .whenComplete((count, failure) -> {
                    if (failure != null) {
                        log.warn("publishing keywords of {} failed: {}", manifest.name(), failure.toString());
                    }
                });
        return dht.announce(NodeId.of(manifest.contentId().bytes()), port());
    }

    private static KeywordRecord keywordRecord(Manifest manifest) {
        return new KeywordRecord(manifest.contentId(), manifest.name(), manifest.length());
    }

    /** Finds content whose names contain the words, through the DHT's keyword records. */
    public CompletableFuture<List<SearchResult>> search(String words) {
        return keywords.search(words);
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
     * as a holder.
     */
    public Transfer get(MagnetLink link, Path outDir) {
        String key = link.contentId().toHex();
        Path out = outDir.toAbsolutePath().normalize();
        synchronized (transfers) {
            Transfer existing = transfers.get(key);
            if (existing != null) {
                if (!existing.outDir().equals(out)) {
                    throw new IllegalArgumentException("already downloading " + key + " into " + existing.outDir());
                }
                existing.resume();
                return existing;
            }
            Transfer transfer = new Transfer(link, out, transferContext);
            transfers.put(key, transfer);
            transfer.start();
            return transfer;
        }
    }

    /** Persists each transfer as it moves; on completion serves and announces the file. */
    private final Transfer.Listener transferListener = new Transfer.Listener() {
        @Override
        public void stateChanged(Transfer transfer) {
            catalog.save(transfer.link().contentId().toHex(), new TransferCatalog.Entry(transfer.link().format(),
                    transfer.outDir().toString(), transfer.state(), transfer.file().map(Path::toString).orElse(null)));
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
            try {
                library.add(manifest, file);
                announce(manifest);
            } catch (IOException e) {
                log.warn("could not add {} to the library: {}", file, e.toString());
            }
        }
    };

    /** Picks up every transfer the catalog holds: finished ones are listed, the others resume unless paused. */
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
            Transfer transfer = switch (entry.state()) {
                case COMPLETE -> Transfer.completed(link, out, done, transferContext);
                case PAUSED -> Transfer.paused(link, out, transferContext);
                default -> new Transfer(link, out, transferContext);
            };
            transfers.put(link.contentId().toHex(), transfer);
            if (transfer.state() == TransferState.SEARCHING) {
                log.info("resuming download of {}", link.contentId().toHex());
                transfer.start();
            }
        }
    }

    /**
     * The full content id that {@code prefix} names among this node's transfers and shares, as git resolves
     * abbreviated commits; fails when it names none or more than one.
     */
    public String resolveId(String prefix) {
        String p = prefix.toLowerCase(java.util.Locale.ROOT);
        java.util.Set<String> matches = new java.util.TreeSet<>();
        transfers.keySet().stream().filter(id -> id.startsWith(p)).forEach(matches::add);
        library.all().stream().map(c -> c.manifest().contentId().toHex()).filter(id -> id.startsWith(p))
                .forEach(matches::add);
        if (p.isEmpty() || matches.isEmpty()) {
            throw new NoSuchElementException("no transfer or share with id " + prefix);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("id " + prefix + " is ambiguous: it matches " + matches.size() + " contents");
        }
        return matches.iterator().next();
    }

    private Transfer transferOrThrow(String contentId) {
        Transfer transfer = transfers.get(contentId);
        if (transfer == null) {
            throw new NoSuchElementException("no transfer " + contentId);
        }
        return transfer;
    }

    public TransferStatus pause(String contentId) {
        Transfer transfer = transferOrThrow(contentId);
        transfer.pause();
        return transfer.status();
    }

    public TransferStatus resume(String contentId) {
        Transfer transfer = transferOrThrow(contentId);
        transfer.resume();
        return transfer.status();
    }

    /**
     * Forgets a transfer and stops sharing its content; with {@code deleteData} also deletes the file. Works
     * for content this node shared itself as well.
     */
    public void remove(String contentId, boolean deleteData) throws IOException {
        ContentId id = ContentId.fromHex(contentId);
        Transfer transfer = transfers.remove(contentId);
        Optional<SharedContent> shared = library.remove(id);
        if (transfer == null && shared.isEmpty()) {
            throw new NoSuchElementException("no transfer or share " + contentId);
        }
        if (transfer != null) {
            transfer.remove(deleteData);
            catalog.remove(contentId);
        }
        dht.withdraw(NodeId.of(id.bytes()));
        shared.ifPresent(c -> keywords.withdraw(keywordRecord(c.manifest()),
                library.all().stream().map(other -> keywordRecord(other.manifest())).toList()));
        if (deleteData) {
            Optional<Path> file = shared.map(SharedContent::file).or(() -> transfer.file());
            if (file.isPresent()) {
                Files.deleteIfExists(file.get());
            }
        }
    }

    public Optional<TransferStatus> transfer(String contentId) {
        return Optional.ofNullable(transfers.get(contentId)).map(this::statusOf);
    }

    private TransferStatus statusOf(Transfer transfer) {
        ContentId id = transfer.link().contentId();
        return transfer.status().withUploads(server.uploads().bytesUploaded(id), server.uploads().peers(id));
    }

    public PeersStatus peers() {
        List<PeersStatus.TransferPeers> perTransfer = transfers.values().stream().map(this::statusOf)
                .map(t -> new PeersStatus.TransferPeers(t.contentId(), t.name(), t.peers()))
                .sorted(Comparator.comparing(PeersStatus.TransferPeers::name)).toList();
        return new PeersStatus(dht.status().routingTableSize(), perTransfer);
    }

    public NodeStatus status() {
        DhtStatus d = dht.status();
        List<NodeStatus.ShareStatus> shares = library.all().stream()
                .map(c -> new NodeStatus.ShareStatus(c.manifest().contentId().toHex(), c.manifest().name(),
                        c.manifest().length(), c.file().toString(), linkOf(c.manifest()).format(),
                        server.uploads().bytesUploaded(c.manifest().contentId())))
                .sorted(Comparator.comparing(NodeStatus.ShareStatus::name))
                .toList();
        List<TransferStatus> downloads = transfers.values().stream().map(this::statusOf)
                .sorted(Comparator.comparing(TransferStatus::name)).toList();
        return new NodeStatus(dht.id().toHex(), port(), server.localAddress().getPort(), d.routingTableSize(),
                d.counters(), shares, downloads);
    }

    @Override
    public void close() {
        transfers.values().forEach(Transfer::close);
        server.close();
        dht.close();
        hashing.shutdownNow();
        if (ownsGroup) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
