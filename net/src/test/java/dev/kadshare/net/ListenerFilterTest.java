package dev.kadshare.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel filter on real listeners: a dropped source's connect gets no answer at all, every other connects. */
class ListenerFilterTest {
    /** Loopback answers in microseconds: no answer in this long means the SYN was dropped (its retry comes at 1 s). */
    private static final int NO_ANSWER_MILLIS = 500;

    private final List<EventLoopGroup> groups = new ArrayList<>();

    @AfterEach
    void shutDown() {
        groups.forEach(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS));
    }

    @Test
    void aDroppedIpv4SourceGetsNoAnswerUntilTheFilterIsTakenOff() throws Exception {
        Channel listener = listen(Transport.EPOLL, "127.0.0.1");
        List<HostPrefix> dropped = new ArrayList<>(addresses(1, 100));
        dropped.add(50, host("127.0.0.2"));
        dropped.add(host("fd00::2"));

        ListenerFilter filter = ListenerFilter.of(listener);
        assertEquals(new ListenerFilter.Installed(0), filter.drop(List.of()), "nothing to take off yet");
        connect("127.0.0.2", listener, 10_000).close();

        assertEquals(new ListenerFilter.Installed(102), filter.drop(dropped));
        assertThrows(SocketTimeoutException.class, () -> connect("127.0.0.2", listener, NO_ANSWER_MILLIS).close());
        assertThrows(SocketTimeoutException.class, () -> connect("127.1.0.99", listener, NO_ANSWER_MILLIS).close());
        connect("127.0.0.3", listener, 10_000).close();

        assertEquals(new ListenerFilter.Installed(0), filter.drop(List.of()));
        connect("127.0.0.2", listener, 10_000).close();
    }

    @Test
    void aDroppedIpv6HostIsMatchedOnItsSlash64OrOnItsWholeAddress() throws Exception {
        Channel listener = listen(Transport.EPOLL, "::1");
        // Each differs from ::1 in one word only, so every word's compare must hold for a drop: /64s on their two
        // words, whole addresses (as a loopback or LAN neighbour is counted) on all four.
        List<HostPrefix> nearMisses = List.of(new HostPrefix(literal("1::"), 64), new HostPrefix(literal("0:1::"), 64),
                new HostPrefix(literal("::1:0:0:1"), 128), host("fd00::1"), host("127.0.0.1"));
        ListenerFilter filter = ListenerFilter.of(listener);
        assertEquals(new ListenerFilter.Installed(5), filter.drop(nearMisses));
        connect("::1", listener, 10_000).close();

        // ::/64 holds ::1, as a public /64 holds every address its host may take
        List<HostPrefix> withItsSlash64 = new ArrayList<>(nearMisses);
        withItsSlash64.add(1, new HostPrefix(literal("::"), 64));
        assertEquals(new ListenerFilter.Installed(6), filter.drop(withItsSlash64));
        assertThrows(SocketTimeoutException.class, () -> connect("::1", listener, NO_ANSWER_MILLIS).close());

        List<HostPrefix> withItself = new ArrayList<>(nearMisses);
        withItself.add(3, host("::1"));
        assertEquals(new ListenerFilter.Installed(6), filter.drop(withItself));
        assertThrows(SocketTimeoutException.class, () -> connect("::1", listener, NO_ANSWER_MILLIS).close());
    }

    @Test
    void onADualStackListenerAnIpv4SourceIsDroppedHoweverItIsNamed() throws Exception {
        Channel listener = listen(Transport.EPOLL, "::"); // as a daemon listens; only loopback is dialled here
        InetSocketAddress port = (InetSocketAddress) listener.localAddress();
        ListenerFilter filter = ListenerFilter.of(listener);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(new byte[] {127, 0, 0, 2}, 0, mapped, 12, 4);
        InetAddress namedAsV6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertEquals(new ListenerFilter.Installed(2),
                filter.drop(List.of(HostPrefix.of(namedAsV6), host("127.0.0.4"))));
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", port.getPort());
        assertThrows(SocketTimeoutException.class, () -> connect("127.0.0.2", loopback, NO_ANSWER_MILLIS).close());
        assertThrows(SocketTimeoutException.class, () -> connect("127.0.0.4", loopback, NO_ANSWER_MILLIS).close());
        connect("127.0.0.3", loopback, 10_000).close();
        connect("::1", new InetSocketAddress("::1", port.getPort()), 10_000).close();
    }

    @Test
    void withoutEpollNothingIsAttachedAndTheResultSaysWhy() throws Exception {
        Channel listener = listen(Transport.NIO, "127.0.0.1");
        ListenerFilter.Outcome outcome = ListenerFilter.of(listener).drop(List.of(host("127.0.0.2")));
        assertInstanceOf(ListenerFilter.Unsupported.class, outcome);
        connect("127.0.0.2", listener, 10_000).close();
    }

    @Test
    void moreSourcesThanTheProgramHoldsAreRefusedAndTheOldFilterStays() throws Exception {
        Channel listener = listen(Transport.EPOLL, "127.0.0.1");
        ListenerFilter filter = ListenerFilter.of(listener);
        filter.drop(List.of(host("127.0.0.2")));
        List<HostPrefix> tooMany = addresses(2, SourceDropProgram.MAX_SOURCES + 1);
        assertInstanceOf(ListenerFilter.Unsupported.class, filter.drop(tooMany));
        assertThrows(SocketTimeoutException.class, () -> connect("127.0.0.2", listener, NO_ANSWER_MILLIS).close());
    }

    private Channel listen(Transport transport, String host) {
        if (transport == Transport.EPOLL) {
            assumeTrue(Transport.preferred() == Transport.EPOLL, "no native epoll here: the filter is Linux's");
        }
        EventLoopGroup group = transport.newGroup(1);
        groups.add(group);
        var bound = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childHandler(new ChannelInboundHandlerAdapter()).bind(host, 0).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + host, bound.cause());
        }
        return bound.channel();
    }

    private static Socket connect(String source, Channel listener, int timeoutMillis) throws IOException {
        return connect(source, (InetSocketAddress) listener.localAddress(), timeoutMillis);
    }

    private static Socket connect(String source, InetSocketAddress to, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(to, timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** An address written as a literal: never a name lookup. */
    private static InetAddress literal(String address) throws UnknownHostException {
        return InetAddress.getAllByName(address)[0];
    }

    private static HostPrefix host(String address) throws UnknownHostException {
        return HostPrefix.of(literal(address));
    }

    /** {@code count} hosts 127.{@code second}.x.y. */
    private static List<HostPrefix> addresses(int second, int count) throws UnknownHostException {
        List<HostPrefix> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(HostPrefix.of(
                    InetAddress.getByAddress(new byte[] {127, (byte) second, (byte) (i / 256), (byte) (i % 256)})));
        }
        return out;
    }
}
