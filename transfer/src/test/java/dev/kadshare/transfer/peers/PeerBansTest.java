package dev.kadshare.transfer.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.transfer.content.PeerId;
import dev.kadshare.transfer.content.Sha256;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeerBansTest {
    private static InetSocketAddress at(String ip, int port) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    private static PeerId node(int n) {
        return PeerId.of(Sha256.of(new byte[] {(byte) n, (byte) (n >> 8), (byte) (n >> 16)}));
    }

    @Test
    void aPublicPeerIsBannedByNodeIdAndIpAnyPort() throws Exception {
        PeerBans bans = new PeerBans();
        assertTrue(bans.ban(node(1), at("203.0.113.9", 7700)));
        assertFalse(bans.ban(node(1), at("203.0.113.9", 7700)), "no news the second time");
        assertTrue(bans.isBanned(node(1)));
        assertTrue(bans.isBanned(at("203.0.113.9", 1)));
        assertFalse(bans.isBanned(at("203.0.113.10", 7700)));
        assertFalse(bans.isBanned(node(2)));
        assertEquals(new PeerBans.Counts(1, 1, 0), bans.counts());
    }

    @Test
    void anIpv6PeerIsBannedByItsSlash64WhereItCouldPickAnyOtherAddress() throws Exception {
        PeerBans bans = new PeerBans();
        assertTrue(bans.ban(PeerId.UNKNOWN, at("2001:db8:0:1::5", 7700)));
        assertFalse(bans.ban(PeerId.UNKNOWN, at("2001:db8:0:1:aaaa::9", 7701)), "the same host: no news");
        assertTrue(bans.isBanned(at("2001:db8:0:1:ffff:ffff:ffff:ffff", 7700)));
        assertFalse(bans.isBanned(at("2001:db8:0:2::5", 7700)), "the next /64");
        assertEquals(new PeerBans.Counts(0, 1, 0), bans.counts());
    }

    @Test
    void aLoopbackPeerIsBannedByItsExactAddressNeverBy127001() throws Exception {
        PeerBans bans = new PeerBans();
        bans.ban(PeerId.UNKNOWN, at("127.0.0.1", 7700));
        assertTrue(bans.isBanned(at("127.0.0.1", 7700)));
        assertFalse(bans.isBanned(at("127.0.0.1", 7701)), "the honest peers next door");
        assertFalse(bans.isBanned(PeerId.UNKNOWN), "an unknown id is nobody's");
        assertEquals(new PeerBans.Counts(0, 0, 1), bans.counts());
    }

    @Test
    void downloadsOnSeveralThreadsBanAndAskAtOnce() throws Exception {
        PeerBans bans = new PeerBans();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        int n = thread * 1000 + i;
                        InetSocketAddress a = new InetSocketAddress(InetAddress.getByAddress(
                                new byte[] {(byte) 198, 51, (byte) (n >> 8), (byte) n}), 7700);
                        bans.ban(node(n), a);
                        assertTrue(bans.isBanned(node(n)) && bans.isBanned(a));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(new PeerBans.Counts(4000, 4000, 0), bans.counts());
    }
}
