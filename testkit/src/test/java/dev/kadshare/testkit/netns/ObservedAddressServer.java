package dev.kadshare.testkit.netns;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Run inside a namespace: tells each TCP client the address it came from, for at most a minute. */
public final class ObservedAddressServer {
    private ObservedAddressServer() {}

    public static void main(String[] args) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 16, InetAddress.getByName(args[0]))) {
            server.setSoTimeout(1_000);
            System.out.println("listening");
            System.out.flush();
            while (System.nanoTime() < deadline) {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    out.write((client.getInetAddress().getHostAddress() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (SocketTimeoutException idle) {
                    // look at the deadline again
                }
            }
        }
    }
}
