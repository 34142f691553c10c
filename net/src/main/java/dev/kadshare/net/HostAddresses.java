package dev.kadshare.net;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses of this host's interfaces: what a socket bound to a wildcard listens on. */
public final class HostAddresses {
    private HostAddresses() {
    }

    /** Every address of every interface, loopback included. */
    public static List<InetAddress> read() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            addresses.addAll(Collections.list(nic.getInetAddresses()));
        }
        return addresses;
    }
}
