package dev.kadshare.transfer.download;

import static dev.kadshare.transfer.download.VirtualRun.address;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.net.AddressScope;
import dev.kadshare.transfer.ConnectionDrop;
import dev.kadshare.transfer.ConnectionDrops;
import dev.kadshare.transfer.Hostile;
import dev.kadshare.transfer.content.ContentId;
import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import dev.kadshare.transfer.download.VirtualRun.Content;
import dev.kadshare.transfer.download.VirtualRun.Seeder;
import dev.kadshare.transfer.peers.DialPolicy;
import dev.kadshare.transfer.peers.PeerBans;
import dev.kadshare.transfer.wire.FrameCodec;
import dev.kadshare.transfer.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-wide bans, the dial policy and the bounds on advertised chunk sets, in the download core: scripted peers in
 * virtual time, several downloads sharing one {@link PeerBans} as a node's do. Non-loopback addresses here are
 * virtual: nothing is dialled for real.
 */
class BansAndDialsTest {
    private static final int CHUNK = 16 * 1024;

    @TempDir
    Path dir;

    private final PeerBans bans = new PeerBans();
    private final ConnectionDrops drops = new ConnectionDrops();
    private int runs;

    private VirtualRun run(Content content) {
        return run(content, DialPolicy.everywhere());
    }

    private VirtualRun run(Content content, DialPolicy policy) {
        DownloadOptions options = DownloadOptions.builder().bans(bans).drops(drops).dialPolicy(policy).build();
        return new VirtualRun(content.id(), options, dir.resolve("out" + runs++));
    }

    private static InetSocketAddress at(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static PeerId node(int n) {
        return PeerId.of(Sha256.of(new byte[] {(byte) n}));
    }

    private static Seeder seeder(Content content, PeerId id) {
        Seeder s = new Seeder(content);
        s.nodeId = id;
        return s;
    }

    private static Seeder corrupt(Content content, PeerId id) {
        Seeder s = seeder(content, id);
        s.corrupts = i -> true;
        return s;
    }

    @Test
    void aPeerCaughtSendingBadChunksIsRefusedByTheNodesOtherDownloadsAtANewPortByItsNodeId() throws Exception {
        Content first = Content.random("a.bin", 8 * CHUNK, CHUNK, 1);
        VirtualRun a = run(first).peer(address(1), corrupt(first, node(7))).peer(address(2), seeder(first, node(2)));
        a.start(address(1), address(2));
        a.runToEnd();
        assertArrayEquals(first.bytes(), Files.readAllBytes(a.finished.orElseThrow()));
        assertTrue(bans.isBanned(node(7)));
        assertFalse(bans.isBanned(address(2)), "loopback: the honest peers share 127.0.0.1, so no IP ban");
        assertEquals(new PeerBans.Counts(1, 0, 1), bans.counts());

        // Another content, the same bad node at another port: closed at its HELLO, never asked anything.
        Content second = Content.random("b.bin", 8 * CHUNK, CHUNK, 2);
        Seeder again = corrupt(second, node(7));
        VirtualRun b = run(second).peer(address(3), again).peer(address(2), seeder(second, node(2)));
        b.start(address(3), address(2));
        b.runToEnd();
        assertArrayEquals(second.bytes(), Files.readAllBytes(b.finished.orElseThrow()));
        assertTrue(b.peer(address(3)).dropped());
        assertEquals(List.of(), again.requested, "no request to a banned node");
        assertEquals(List.of(), b.sentTo(address(3), Message.ManifestRequest.class));
        assertEquals(1, drops.count(ConnectionDrop.BANNED));

        // And its old address is not even dialled.
        VirtualRun c = run(second).peer(address(1), corrupt(second, node(7))).peer(address(2), seeder(second, node(2)));
        c.start(address(1), address(2));
        c.runToEnd();
        assertEquals(List.of(address(2)), c.dials.stream().map(Link::peer).distinct().toList());
    }

    @Test
    void offANonLoopbackAddressThePeersIpIsBannedSoANewPortIsNeverDialled() throws Exception {
        Content first = Content.random("ip.bin", 8 * CHUNK, CHUNK, 3);
        InetSocketAddress bad = at("203.0.113.5", 7700);
        InetSocketAddress good = at("203.0.113.6", 7700);
        VirtualRun a = run(first).peer(bad, corrupt(first, PeerId.UNKNOWN)).peer(good, seeder(first, PeerId.UNKNOWN));
        a.start(bad, good);
        a.runToEnd();
        assertArrayEquals(first.bytes(), Files.readAllBytes(a.finished.orElseThrow()));
        assertTrue(bans.isBanned(at("203.0.113.5", 9999)), "the IP, any port");
        assertFalse(bans.isBanned(good));
        assertEquals(new PeerBans.Counts(0, 1, 0), bans.counts(), "no node id given, none banned");

        Content second = Content.random("ip2.bin", 8 * CHUNK, CHUNK, 4);
        InetSocketAddress badElsewhere = at("203.0.113.5", 7701);
        VirtualRun b = run(second).peer(badElsewhere, seeder(second, PeerId.UNKNOWN)).peer(good, seeder(second, PeerId.UNKNOWN));
        b.start(badElsewhere, good);
        b.runToEnd();
        assertArrayEquals(second.bytes(), Files.readAllBytes(b.finished.orElseThrow()));
        assertEquals(List.of(good), b.dials.stream().map(Link::peer).distinct().toList(), "a banned IP is never dialled");
    }

    @Test
    void aPeerBannedByAnotherDownloadWhileConnectedHereIsClosedAtItsNextMessage() throws Exception {
        Content content = Content.random("live.bin", 40 * CHUNK, CHUNK, 5);
        Seeder slow = seeder(content, node(9));
        slow.latency = Duration.ofMillis(100);
        Seeder other = seeder(content, node(2));
        other.latency = Duration.ofMillis(100);
        VirtualRun run = run(content).peer(address(1), slow).peer(address(2), other);
        run.start(address(1), address(2));
        run.runUntil(() -> run.download.progress().chunksVerified() > 2, Duration.ofSeconds(10));
        assertFalse(run.finished.isPresent(), "still downloading");
        bans.ban(node(9), address(1)); // what another download would do
        int asked = slow.requested.size();
        run.runToEnd();
        assertTrue(slow.requested.size() <= asked + 1, "hardly asked again: " + asked + " then " + slow.requested.size());
        assertArrayEquals(content.bytes(), Files.readAllBytes(run.finished.orElseThrow()));
        assertTrue(run.peer(address(1)).dropped(), run.download.progress().peers() + " " + drops.snapshot());
        assertEquals(1, drops.count(ConnectionDrop.BANNED));
    }

    @Test
    void badDataAndProtocolErrorsBanButAnotherVersionOrContentOnlyDropsFromThisDownload() {
        Content content = Content.random("p.bin", 4 * CHUNK, CHUNK, 6);
        Message.Hello hello = new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id());
        List<List<Message>> banned = List.of(
                List.of(new Message.Have(0)), // before HELLO
                List.of(hello, hello),
                List.of(hello, Message.Bitfield.of(content.all()), Message.Bitfield.of(content.all())),
                List.of(hello, new Message.Have(1)), // before BITFIELD
                List.of(hello, new Message.Reject(2, "never asked")),
                List.of(hello, new Message.ManifestData(content.manifest().canonicalBytes()),
                        new Message.ManifestData(content.manifest().canonicalBytes())),
                List.of(hello, new Message.Request(0)));
        for (List<Message> script : banned) {
            PeerBans fresh = new PeerBans();
            VirtualRun run = scripted(content, fresh, script);
            assertTrue(run.peer(address(1)).dropped(), "dropped for " + script);
            assertTrue(fresh.isBanned(node(1)) || fresh.isBanned(address(1)), "banned for " + script);
        }
        List<List<Message>> notBanned = List.of(
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION, ContentId.of(Sha256.of(new byte[] {7})))),
                List.of(new Message.Hello(FrameCodec.PROTOCOL_VERSION - 1, content.id())));
        for (List<Message> script : notBanned) {
            PeerBans fresh = new PeerBans();
            VirtualRun run = scripted(content, fresh, script);
            assertTrue(run.peer(address(1)).dropped(), "dropped for " + script);
            assertEquals(new PeerBans.Counts(0, 0, 0), fresh.counts(), "not banned for " + script);
        }
    }

    private VirtualRun scripted(Content content, PeerBans list, List<Message> script) {
        VirtualRun run = new VirtualRun(content.id(), DownloadOptions.builder().bans(list).build(),
                dir.resolve("s" + runs++)).peer(address(1), node(1), (message, replies) -> {
                    if (message instanceof Message.Hello) {
                        script.forEach(replies::send);
                    }
                });
        run.start(address(1));
        run.advance(Duration.ofSeconds(1));
        return run;
    }

    @Test
    void aSixteenMebibyteBitfieldBeforeTheManifestDropsThePeerWithoutBeingKept() throws Exception {
        Content content = Content.random("bf.bin", 8 * CHUNK, CHUNK, 7);
        byte[] huge = new byte[16 << 20];
        java.util.Arrays.fill(huge, (byte) 0xFF);
        VirtualRun run = run(content).peer(address(1), node(1), (m, r) -> {
            if (m instanceof Message.Hello) {
                r.send(new Message.Hello(FrameCodec.PROTOCOL_VERSION, content.id()));
            }
        }).peer(address(2), seeder(content, node(2)));
        run.start(address(1));
        long before = Hostile.allocatedBytes();
        run.deliver(new DownloadEvent.Received(run.dials.get(0), new Message.Bitfield(huge)));
        long allocated = Hostile.allocatedBytes() - before;
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for a 16 MiB BITFIELD");
        assertTrue(run.peer(address(1)).dropped());
        assertTrue(bans.isBanned(node(1)));
    }

    @Test
    void aBitfieldThatDoesNotFitTheManifestDropsThePeerBeforeOrAfterTheManifestIsKnown() throws Exception {
        Content content = Content.random("fit.bin", 12 * CHUNK, CHUNK, 8); // 12 chunks: 2 bytes, 4 spare bits
        BitSet past = new BitSet();
        past.set(12); // within the second byte, past the last chunk
        byte[] tooLong = new byte[3]; // a third byte, even of zeros
        for (Message.Bitfield wrong : List.of(Message.Bitfield.of(past), new Message.Bitfield(tooLong))) {
            // Before the manifest: kept bounded, checked when it arrives (the peer also serves the manifest).
            Seeder early = seeder(content, node(1));
            early.holds = java.util.Optional.empty();
            early.afterHello = List.of(wrong);
            PeerBans fresh = new PeerBans();
            VirtualRun before = new VirtualRun(content.id(), DownloadOptions.builder().bans(fresh).build(),
                    dir.resolve("e" + runs++)).peer(address(1), early).peer(address(2), seeder(content, node(2)));
            before.start(address(1), address(2));
            before.runToEnd();
            assertEquals(java.util.Optional.empty(), before.failed);
            assertTrue(before.peer(address(1)).dropped(), "before the manifest: " + wrong);
            assertTrue(fresh.isBanned(node(1)));
            assertArrayEquals(content.bytes(), Files.readAllBytes(before.finished.orElseThrow()));

            // After it: at once.
            Seeder late = seeder(content, node(3));
            late.holds = java.util.Optional.empty();
            late.afterHello = List.of(wrong);
            Seeder slow = seeder(content, node(2));
            slow.latency = Duration.ofMillis(50);
            VirtualRun after = run(content).peer(address(2), slow).peer(address(3), late);
            after.start(address(2));
            after.runUntil(() -> after.download.progress().manifest().isPresent(), Duration.ofSeconds(5));
            after.deliver(new DownloadEvent.PeersAdded(List.of(address(3))));
            after.runToEnd();
            assertTrue(after.peer(address(3)).dropped(), "after the manifest: " + wrong);
            assertEquals(List.of(), late.requested);
            assertArrayEquals(content.bytes(), Files.readAllBytes(after.finished.orElseThrow()));
        }
    }

    @Test
    void peersNamedOutsideThisNodesNetworksOrCrowdedInOneSubnetAreNotDialled() {
        Content content = Content.random("d.bin", 4 * CHUNK, CHUNK, 9);
        InetSocketAddress server = at("198.51.100.1", 7700);
        Seeder s = seeder(content, node(1));
        List<InetSocketAddress> named = List.of(at("10.0.0.1", 7700), at("192.168.1.2", 7700), at("100.64.0.1", 7700),
                at("169.254.0.1", 7700), at("127.0.0.1", 7700), at("0.0.0.0", 7700), at("224.0.0.1", 7700),
                at("255.255.255.255", 7700), at("203.0.113.1", 0), at("fe80::1", 7700), at("fd00::1", 7700),
                at("203.0.113.1", 1), at("203.0.113.2", 1), at("203.0.113.3", 1), at("203.0.113.4", 1),
                at("203.0.113.5", 1), at("203.0.113.1", 1), at("2001:db8::1", 1), at("203.0.114.1", 1));
        s.afterHello = List.of(Message.Peers.of(named));
        VirtualRun run = run(content, DialPolicy.reaching(Set.of())).peer(server, s);
        run.start(server);
        run.advance(Duration.ofSeconds(1));
        assertEquals(List.of(server, at("203.0.113.1", 1), at("203.0.113.2", 1), at("203.0.113.3", 1),
                at("203.0.113.4", 1), at("2001:db8::1", 1), at("203.0.114.1", 1)),
                run.dials.stream().map(Link::peer).distinct().toList(), "public only, four per /24");

        // A node on a private network dials private peers too (still not loopback).
        Seeder s2 = seeder(content, node(1));
        s2.afterHello = List.of(Message.Peers.of(List.of(at("10.0.0.1", 7700), at("127.0.0.1", 7700))));
        VirtualRun onLan = run(content, DialPolicy.reaching(EnumSet.of(AddressScope.PRIVATE))).peer(server, s2);
        onLan.start(server);
        onLan.advance(Duration.ofSeconds(1));
        assertEquals(List.of(server, at("10.0.0.1", 7700)), onLan.dials.stream().map(Link::peer).distinct().toList());
    }
}
