package dev.kadshare.simulation.attack;

import dev.kadshare.dht.DhtConfig;
import dev.kadshare.dht.id.NodeId;
import dev.kadshare.dht.identity.Sessions;
import dev.kadshare.dht.wire.Envelope;
import dev.kadshare.dht.node.DatagramTransport;
import dev.kadshare.dht.node.DhtNode;
import dev.kadshare.dht.store.Publisher;
import dev.kadshare.dht.store.RecordValue;
import dev.kadshare.dht.token.WriteToken;
import dev.kadshare.dht.wire.AnnouncePeer;
import dev.kadshare.dht.wire.Announced;
import dev.kadshare.dht.wire.Decoded;
import dev.kadshare.dht.wire.FindNode;
import dev.kadshare.dht.wire.GetPeers;
import dev.kadshare.dht.wire.GetRecords;
import dev.kadshare.dht.wire.Message;
import dev.kadshare.dht.wire.MessageCodec;
import dev.kadshare.dht.wire.Nodes;
import dev.kadshare.dht.wire.Peers;
import dev.kadshare.dht.wire.PutRecord;
import dev.kadshare.dht.wire.Records;
import dev.kadshare.dht.wire.Request;
import dev.kadshare.dht.wire.Response;
import dev.kadshare.dht.wire.Stored;
import dev.kadshare.simulation.virtual.VirtualNetwork;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * An adversarial host: the real DHT core underneath (it joins, answers pings and stays in routing tables as any node),
 * with a receiver in front that lies. It answers every FIND_NODE, GET_PEERS and GET_RECORDS with made-up contacts
 * closer to the target, all at colluders ({@link Colluders}), and never with peers or records; it acknowledges
 * ANNOUNCE_PEER and PUT_RECORD and stores nothing. Where ids are free each lie goes out twice, as its own id and as
 * the made-up id it may have been asked as, so that whichever the asker expects matches. On the scenario's command it floods keys with
 * announcements and validly signed records.
 */
public final class Adversary implements VirtualNetwork.Receiver {
    private static final MessageCodec CODEC = new MessageCodec();
    private static final int SESSION_SLOTS = 64;

    private final DhtNode core;
    private final byte[] publicKey;
    private final Sessions sessions;
    private final InetSocketAddress self;
    private final DatagramTransport transport;
    private final Colluders colluders;
    private final RandomGenerator random;
    private final Publisher publisher;
    /** Our own flood requests awaiting their answer (for its token), by transaction id. */
    private final Map<Long, Consumer<Response>> flooding = new HashMap<>();
    private long floodTx;

    public Adversary(DhtNode core, DhtConfig config, InetSocketAddress self, DatagramTransport transport,
                     Colluders colluders, RandomGenerator random) {
        this.core = core;
        this.publicKey = config.key().publicKey();
        this.sessions = new Sessions(config.key(), config.sessionKeys(), SESSION_SLOTS);
        this.self = self;
        this.transport = transport;
        this.colluders = colluders;
        this.random = random;
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        this.publisher = Publisher.fromSeed(seed);
        this.floodTx = random.nextLong();
    }

    @Override
    public void onDatagram(InetSocketAddress from, byte[] datagram) {
        if (!(Envelope.open(datagram) instanceof Envelope.Opened.Carrying opened)
                || !(CODEC.decode(opened.message()) instanceof Decoded.Ok ok)) {
            core.onDatagram(from, datagram);
            return;
        }
        Message message = ok.message();
        // A lie is authenticated as any answer is: it comes from a node that holds its key.
        Peer asker = new Peer(from, opened.senderKey());
        if (message instanceof Response response) {
            Consumer<Response> waiting = flooding.remove(response.txId());
            if (waiting != null) {
                waiting.accept(response);
            } else {
                core.onDatagram(from, datagram);
            }
            return;
        }
        if (message instanceof FindNode f) {
            lie(asker, f.target(), id -> new Nodes(f.txId(), id, from, colluders.fakesNear(f.target(), random)));
        } else if (message instanceof GetPeers g) {
            lie(asker, g.key(), id -> new Peers(g.txId(), id, from, token(), List.of(), colluders.fakesNear(g.key(), random)));
        } else if (message instanceof GetRecords g) {
            lie(asker, g.key(), id -> new Records(g.txId(), id, from, token(), List.of(),
                    colluders.fakesNear(g.key(), random), 0));
        } else if (message instanceof AnnouncePeer a) {
            lie(asker, a.key(), id -> new Announced(a.txId(), id, from)); // and stores nothing
        } else if (message instanceof PutRecord p) {
            lie(asker, p.key(), id -> new Stored(p.txId(), id, from)); // and stores nothing
        } else {
            core.onDatagram(from, datagram);
        }
    }

    /** Who asked: its address and key. */
    private record Peer(InetSocketAddress address, byte[] key) {
    }

    private void lie(Peer to, NodeId key, java.util.function.Function<NodeId, Response> answer) {
        Optional<byte[]> session = sessions.known(to.key()).or(() -> sessions.derive(to.key(), Sessions.Standing.ASKED_US));
        if (session.isEmpty()) {
            return;
        }
        answer(to.address(), session.get(), answer.apply(core.id()));
        if (colluders.idsFree()) {
            answer(to.address(), session.get(), answer.apply(Colluders.fakeId(self, key)));
        }
    }

    private void answer(InetSocketAddress to, byte[] session, Response response) {
        transport.send(to, Envelope.response(publicKey, session, CODEC.encode(response)));
    }

    private WriteToken token() {
        byte[] t = new byte[32];
        random.nextBytes(t);
        return WriteToken.of(t);
    }

    private void send(InetSocketAddress to, Request request) {
        transport.send(to, Envelope.request(publicKey, CODEC.encode(request)));
    }

    /** {@code count} records under {@code key}, each signed by our publisher key with a salt of its own (valid ones). */
    public List<RecordValue> floodRecords(NodeId key, int count) {
        List<RecordValue> records = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] salt = ("flood " + i).getBytes(StandardCharsets.US_ASCII);
            records.add(RecordValue.sign(publisher, key, salt, 1,
                    ("flooded record " + i + " of " + self).getBytes(StandardCharsets.US_ASCII)));
        }
        return records;
    }

    /**
     * Floods {@code key} at {@code holder}: asks it for a token, then announces {@code ports} ports and puts the
     * {@code records} ({@link #floodRecords}).
     */
    public void flood(InetSocketAddress holder, NodeId key, int ports, List<RecordValue> records) {
        if (ports > 0) {
            ask(holder, new GetPeers(nextTx(), core.id(), key), r -> {
                WriteToken token = ((Peers) r).token();
                for (int i = 0; i < ports; i++) {
                    send(holder, new AnnouncePeer(nextTx(), core.id(), key, 20_000 + i, token));
                }
            });
        }
        if (!records.isEmpty()) {
            ask(holder, new GetRecords(nextTx(), core.id(), key, 0), r -> {
                WriteToken token = ((Records) r).token();
                for (RecordValue value : records) {
                    send(holder, new PutRecord(nextTx(), core.id(), key, value, 1800, token));
                }
            });
        }
    }

    /** Asks padded to a whole datagram, as an honest node pads: no node answers more bytes than a request brought. */
    private void ask(InetSocketAddress to, Request request, Consumer<Response> then) {
        flooding.put(request.txId(), then);
        transport.send(to, Envelope.request(publicKey, CODEC.encode(request, MessageCodec.MAX_MESSAGE)));
    }

    private long nextTx() {
        return floodTx++;
    }

    public DhtNode core() {
        return core;
    }
}
