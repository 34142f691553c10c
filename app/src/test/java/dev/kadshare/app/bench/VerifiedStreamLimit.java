package dev.kadshare.app.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The limit of one verified stream on this machine, L = 1 / (1/R + 1/(2H)): R the raw TCP rate over loopback (one
 * stream, both ends in this JVM), H the JDK's SHA-256 on one core, both measured now, the best of three runs each.
 * Each step also keeps the CPU its threads took, for {@link DataPathFloor}.
 */
record VerifiedStreamLimit(Step tcp, Step sha256) {
    private static final int BUFFER = 1 << 20;

    /** L in bytes per second. */
    double bytesPerSecond() {
        return 1 / (1 / tcp.bytesPerSecond() + 1 / (2 * sha256.bytesPerSecond()));
    }

    static VerifiedStreamLimit measure(long bytes) throws IOException, InterruptedException {
        rawTcp(bytes / 4); // warm-up
        sha256(bytes / 4);
        Step r = Step.NONE;
        Step h = Step.NONE;
        for (int run = 0; run < 3; run++) {
            r = r.best(rawTcp(bytes));
            h = h.best(sha256(bytes));
        }
        return new VerifiedStreamLimit(r, h);
    }

    /** Both ends' CPU: the writer's, and the reader's as it saw it when the stream ended. */
    private static Step rawTcp(long bytes) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long[] received = new long[1];
            long[] readerCpu = new long[1];
            Thread reader = new Thread(() -> {
                Step.Stopwatch watch = Step.Stopwatch.start();
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[BUFFER];
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        received[0] += n;
                    }
                    readerCpu[0] = watch.cpuNanos();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "raw-tcp-reader");
            reader.start();
            Step.Stopwatch watch = Step.Stopwatch.start();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[BUFFER];
                for (long sent = 0; sent < bytes; sent += buf.length) {
                    out.write(buf);
                }
            }
            long writerCpu = watch.cpuNanos();
            reader.join();
            return Step.of(received[0], watch.wallNanos(), writerCpu + readerCpu[0]);
        }
    }

    private static Step sha256(long bytes) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[BUFFER];
            Arrays.fill(buf, (byte) 7);
            Step.Stopwatch watch = Step.Stopwatch.start();
            for (long done = 0; done < bytes; done += buf.length) {
                sha.update(buf);
            }
            sha.digest();
            return watch.stop(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
