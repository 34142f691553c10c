package dev.kadshare.testkit.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throwaway network of Linux network namespaces for tests: segments (bridges), hosts on them and NAT routers
 * between them. Every address lives only inside namespaces this lab made; {@link #close} kills what runs in them
 * and deletes them, and a lab whose JVM died is swept by the next {@link #open}.
 *
 * <p>Each segment is a bridge inside a namespace of its own, each host or router a namespace with veth legs on the
 * segments it sits on, so nothing is added to the namespace the tests run in.
 */
public final class NetLab implements AutoCloseable {
    /** How a router maps inside endpoints to its outside address. */
    public enum Nat {
        /** nftables masquerade: keeps the inside port where it can, the same mapping for every destination. */
        PORT_PRESERVING("masquerade"),
        /** masquerade fully-random: a random outside port for every new flow, so per destination. */
        SYMMETRIC("masquerade fully-random");

        private final String statement;

        Nat(String statement) {
            this.statement = statement;
        }
    }

    private static final Path RUNS = Path.of("/run/kadshare-netlab");
    private static final String PREFIX = "ks-";

    private final String run;
    private final Shell shell = new Shell();
    private final List<String> namespaces = new ArrayList<>();
    private final Thread cleanupAtExit = new Thread(this::deleteAll, "netlab-cleanup");
    private int veths;
    private boolean closed;

    private NetLab(String run) {
        this.run = run;
    }

    /** Why a lab cannot be built here (not root, or {@code ip}/{@code nft} missing), or empty when it can. */
    public static Optional<String> unavailable() {
        Shell shell = new Shell();
        if (!"0".equals(shell.output("id", "-u").strip())) {
            return Optional.of("network namespaces need root");
        }
        for (String tool : List.of("ip", "nft")) {
            if (!Shell.onPath(tool)) {
                return Optional.of(tool + " is not installed (bin/test-packages installs iproute2 and nftables as root)");
            }
        }
        return Optional.empty();
    }

    /** A new, empty lab; first removes what labs of dead JVMs left behind. */
    public static NetLab open() throws IOException {
        sweepDeadRuns();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        Files.createDirectories(RUNS);
        Files.writeString(RUNS.resolve(run), Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        NetLab lab = new NetLab(run);
        Runtime.getRuntime().addShutdownHook(lab.cleanupAtExit);
        return lab;
    }

    /** A segment (one broadcast domain) for addresses in {@code cidr}, e.g. {@code 10.77.0.0/24} or {@code fd77::/64}. */
    public Segment segment(String name, String cidr) {
        String ns = namespace("sw-" + name);
        shell.check("ip", "-n", ns, "link", "add", "br0", "type", "bridge");
        // No multicast snooping: group traffic reaches every leg, as on a home switch without IGMP querier.
        shell.check("ip", "-n", ns, "link", "set", "br0", "type", "bridge", "mcast_snooping", "0");
        shell.check("ip", "-n", ns, "link", "set", "br0", "up");
        return new Segment(ns, cidr);
    }

    /**
     * A host with one interface {@code eth0} at {@code address} on {@code segment}; when a router serves the
     * segment, its default route goes through it.
     */
    public Host host(String name, Segment segment, String address) {
        String ns = namespace(name);
        attach(ns, "eth0", segment, address);
        segment.gateway().ifPresent(gateway -> shell.check(ipFamily(ns, segment), "route", "add", "default", "via", gateway));
        if (segment.isIpv4()) {
            // Group traffic leaves by eth0 even without a default route (a LAN with no router).
            shell.run("ip", "-n", ns, "route", "add", "224.0.0.0/4", "dev", "eth0");
        }
        return new Host(ns, address);
    }

    /**
     * A NAT router: interface {@code wan} at {@code wanAddress} on {@code wan}, {@code lan} at {@code lanAddress} on
     * {@code lan}. It forwards from lan to wan, keeps established flows, and drops everything unsolicited from
     * outside (forwarded or addressed to itself), as a home router does. Hosts added to {@code lan} afterwards route
     * through it.
     */
    public Host router(String name, Segment wan, String wanAddress, Segment lan, String lanAddress, Nat nat) {
        String rules = String.join("\n",
                "table ip nat {",
                "  chain postrouting {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    oifname \"wan\" " + nat.statement,
                "  }",
                "}",
                "table inet filter {",
                "  chain forward {",
                "    type filter hook forward priority filter; policy drop;",
                "    ct state established,related accept",
                "    iifname \"lan\" oifname \"wan\" accept",
                "  }",
                "  chain input {",
                "    type filter hook input priority filter; policy drop;",
                "    ct state established,related accept",
                "    iifname \"lo\" accept",
                "    iifname \"lan\" accept",
                "  }",
                "}", "");
        return routerWith(name, wan, wanAddress, lan, lanAddress, rules);
    }

    /**
     * A one-to-one NAT, as a cloud provider puts a public address on a VM: interface {@code wan} at {@code wanAddress}
     * on {@code wan}, {@code lan} at {@code lanAddress} on {@code lan}; everything sent to {@code wanAddress} goes to
     * {@code inside} (ports kept), what {@code inside} sends out leaves from {@code wanAddress}, and nothing is
     * filtered (the VM's firewall open). Hosts added to {@code lan} afterwards route through it.
     */
    public Host oneToOneRouter(String name, Segment wan, String wanAddress, Segment lan, String lanAddress, String inside) {
        String rules = String.join("\n",
                "table ip nat {",
                "  chain prerouting {",
                "    type nat hook prerouting priority dstnat; policy accept;",
                "    iifname \"wan\" ip daddr " + wanAddress + " dnat to " + inside,
                "  }",
                "  chain postrouting {",
                "    type nat hook postrouting priority srcnat; policy accept;",
                "    oifname \"wan\" ip saddr " + inside + " snat to " + wanAddress,
                "  }",
                "}", "");
        return routerWith(name, wan, wanAddress, lan, lanAddress, rules);
    }

    /** A router namespace on both segments, forwarding, with the nftables {@code rules}; the LAN's gateway from now on. */
    private Host routerWith(String name, Segment wan, String wanAddress, Segment lan, String lanAddress, String rules) {
        String ns = namespace(name);
        attach(ns, "wan", wan, wanAddress);
        attach(ns, "lan", lan, lanAddress);
        shell.check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        shell.check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
        shell.checkWithInput(rules, "ip", "netns", "exec", ns, "nft", "-f", "-");
        lan.gateway = Optional.of(lanAddress);
        return new Host(ns, wanAddress);
    }

    /** Kills every process in the lab's namespaces and deletes them. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or will run: deleting twice is harmless
        }
        deleteAll();
    }

    private synchronized void deleteAll() {
        if (closed) {
            return;
        }
        closed = true;
        deleteNamespaces(shell, namespaces);
        try {
            Files.deleteIfExists(RUNS.resolve(run));
        } catch (IOException e) {
            // a stale run file is swept by the next lab: it names a dead pid
        }
    }

    private String namespace(String name) {
        if (closed) {
            throw new IllegalStateException("lab is closed");
        }
        String ns = PREFIX + run + "-" + name;
        shell.check("ip", "netns", "add", ns);
        namespaces.add(ns);
        shell.check("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    private void attach(String ns, String ifname, Segment segment, String address) {
        String leg = "v" + (++veths);
        shell.check("ip", "-n", ns, "link", "add", ifname, "type", "veth", "peer", "name", leg, "netns", segment.namespace());
        shell.check("ip", "-n", segment.namespace(), "link", "set", leg, "master", "br0", "up");
        String withPrefix = address + "/" + segment.prefixLength();
        if (segment.isIpv4()) {
            shell.check(ipFamily(ns, segment), "addr", "add", withPrefix, "dev", ifname);
        } else {
            // usable at once, not after duplicate address detection
            shell.check(ipFamily(ns, segment), "addr", "add", withPrefix, "dev", ifname, "nodad");
        }
        shell.check("ip", "-n", ns, "link", "set", ifname, "up");
    }

    private static List<String> ipFamily(String ns, Segment segment) {
        return List.of("ip", segment.isIpv4() ? "-4" : "-6", "-n", ns);
    }

    private static void sweepDeadRuns() throws IOException {
        if (!Files.isDirectory(RUNS)) {
            return;
        }
        Shell shell = new Shell();
        List<Path> runs;
        try (var files = Files.list(RUNS)) {
            runs = files.toList();
        }
        for (Path runFile : runs) {
            boolean alive;
            try {
                alive = ProcessHandle.of(Long.parseLong(Files.readString(runFile).strip())).isPresent();
            } catch (NumberFormatException | IOException e) {
                alive = false;
            }
            if (!alive) {
                String prefix = PREFIX + runFile.getFileName() + "-";
                List<String> stale = shell.output("ip", "netns", "list").lines()
                        .map(line -> line.split(" ")[0]).filter(ns -> ns.startsWith(prefix)).toList();
                deleteNamespaces(shell, stale);
                Files.deleteIfExists(runFile);
            }
        }
    }

    private static void deleteNamespaces(Shell shell, List<String> namespaces) {
        for (String ns : namespaces) {
            // A namespace lives on while a process runs in it: kill them first.
            for (String pid : shell.output("ip", "netns", "pids", ns).lines().map(String::strip).filter(p -> !p.isEmpty()).toList()) {
                shell.run("kill", "-9", pid);
            }
            shell.run("ip", "netns", "del", ns);
        }
    }

    /** A bridge with its address range; {@code gateway} is the router serving it, once there is one. */
    public static final class Segment {
        private final String namespace;
        private final String cidr;
        private Optional<String> gateway = Optional.empty();

        private Segment(String namespace, String cidr) {
            this.namespace = namespace;
            this.cidr = cidr;
        }

        String namespace() {
            return namespace;
        }

        boolean isIpv4() {
            return !cidr.contains(":");
        }

        String prefixLength() {
            return cidr.substring(cidr.indexOf('/') + 1);
        }

        Optional<String> gateway() {
            return gateway;
        }

        @Override
        public String toString() {
            return cidr;
        }
    }

    /** A namespace with an address: where commands and daemons of a test run. */
    public record Host(String namespace, String address) {
        /** {@code command} run inside this host's namespace. */
        public List<String> wrap(List<String> command) {
            List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            wrapped.addAll(command);
            return wrapped;
        }

        /** Runs {@code command} inside this host's namespace to completion (at most a minute). */
        public Shell.Result run(String... command) {
            return new Shell().run(wrap(List.of(command)));
        }

        /** {@link #address} as {@code HOST:PORT}, IPv6 in brackets. */
        public String endpoint(int port) {
            return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
        }
    }
}
