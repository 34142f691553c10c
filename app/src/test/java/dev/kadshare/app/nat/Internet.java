package dev.kadshare.app.nat;

import dev.kadshare.testkit.netns.NetLab;

/**
 * The network of the NAT cases, inside a {@link NetLab}: a public segment {@code 10.77.0.0/16} and homes, each a
 * LAN {@code 192.168.N.0/24} behind its own NAT router at {@code 10.77.N.1}. Every public address is in a /24 of its
 * own, as on the internet, so the DHT's per-subnet admission limits see distinct networks.
 */
public final class Internet {
    private final NetLab lab;
    private final NetLab.Segment wan;
    private int publicHosts;
    private int homes;

    public Internet(NetLab lab) {
        this.lab = lab;
        this.wan = lab.segment("wan", "10.77.0.0/16");
    }

    /** A host with a public address, {@code 10.77.100.10}, {@code 10.77.101.10} and so on. */
    public NetLab.Host publicHost(String name) {
        return lab.host(name, wan, "10.77." + (100 + publicHosts++) + ".10");
    }

    /**
     * A host at {@code 192.168.N.10} on a LAN of its own, reached at its router's {@code 10.77.N.1} through a
     * one-to-one NAT that lets everything in, as a cloud VM with a public address is.
     */
    public NetLab.Host cloudVm(String name) {
        return behindItsRouter(name, (router, wanAddress, lan, lanAddress, inside) ->
                lab.oneToOneRouter(router, wan, wanAddress, lan, lanAddress, inside));
    }

    /** A host at {@code 192.168.N.10} on a home LAN of its own, behind a router of kind {@code nat}. */
    public NetLab.Host home(String name, NetLab.Nat nat) {
        return behindItsRouter(name, (router, wanAddress, lan, lanAddress, inside) ->
                lab.router(router, wan, wanAddress, lan, lanAddress, nat));
    }

    /** Puts up a router named {@code router}, at {@code wanAddress} and at {@code lanAddress} on {@code lan}. */
    private interface RouterSetup {
        void put(String router, String wanAddress, NetLab.Segment lan, String lanAddress, String inside);
    }

    /** The N-th LAN, 192.168.N.0/24, with its router at 10.77.N.1 and 192.168.N.1, and the host at 192.168.N.10. */
    private NetLab.Host behindItsRouter(String name, RouterSetup router) {
        int n = ++homes;
        NetLab.Segment lan = lab.segment(name + "-lan", "192.168." + n + ".0/24");
        String inside = "192.168." + n + ".10";
        router.put(name + "-rt", "10.77." + n + ".1", lan, "192.168." + n + ".1", inside);
        return lab.host(name, lan, inside);
    }
}
