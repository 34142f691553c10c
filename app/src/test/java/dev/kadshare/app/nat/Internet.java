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
        int n = ++homes;
        NetLab.Segment lan = lab.segment(name + "-lan", "192.168." + n + ".0/24");
        lab.oneToOneRouter(name + "-rt", wan, "10.77." + n + ".1", lan, "192.168." + n + ".1", "192.168." + n + ".10");
        return lab.host(name, lan, "192.168." + n + ".10");
    }

    /** A host at {@code 192.168.N.10} on a home LAN of its own, behind a router of kind {@code nat}. */
    public NetLab.Host home(String name, NetLab.Nat nat) {
        int n = ++homes;
        NetLab.Segment lan = lab.segment(name + "-lan", "192.168." + n + ".0/24");
        lab.router(name + "-rt", wan, "10.77." + n + ".1", lan, "192.168." + n + ".1", nat);
        return lab.host(name, lan, "192.168." + n + ".10");
    }
}
