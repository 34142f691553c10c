package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.datadir.DataDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that asks to close its connection is told so in the answer, and the connection ends; the CLI's client,
 * which asks that of every request, therefore never sends one on a connection the daemon closed.
 */
class ConnectionCloseTest {
    @TempDir
    Path dir;

    private DataDir dataDir;
    private Node node;
    private ControlServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        dataDir = new DataDir(dir.resolve("d"));
        node = NodeTestSupport.loopbackNode(dataDir.root(), List.of());
        server = ControlServer.start(dataDir, node, () -> { });
        token = Files.readString(dataDir.apiToken()).trim();
    }

    @AfterEach
    void stop() {
        server.close();
        node.close();
    }

    @Test
    void anAnswerToARequestThatClosesItsConnectionSaysSoAndTheConnectionEnds() throws Exception {
        // A GET, a POST with a body (as the CLI streams it) and an error: each answer says close, then the stream ends.
        List<String> requests = List.of(request("GET", "/v1/status", "Connection: close", ""),
                request("POST", "/v1/transfers", "Connection: close", "{\"link\": \"nope\"}"),
                request("GET", "/v1/transfers/abc", "connection: Keep-Alive, CLOSE", ""));
        for (String request : requests) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                // Read until the server closes the connection (the socket's timeout bounds the wait).
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                String headers = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
                assertTrue(headers.contains("\r\nconnection: close"), request + " answered\n" + answer);
            }
        }
    }

    @Test
    void aConnectionThatDoesNotAskToCloseIsKeptForTheNextRequest() throws Exception {
        // The web page's browser keeps its connections: two answers on one, and neither says close.
        try (Socket socket = connect()) {
            for (int i = 0; i < 2; i++) {
                socket.getOutputStream().write(request("GET", "/v1/status", "", "").getBytes(StandardCharsets.US_ASCII));
                String headers = readHeadersAndBody(socket.getInputStream()).toLowerCase(Locale.ROOT);
                assertTrue(headers.startsWith("http/1.1 200"), headers);
                assertFalse(headers.contains("connection: close"), headers);
            }
        }
    }

    @Test
    void theCliClientsRequestsInARowAllArrive() {
        // Before the answers said close, HttpURLConnection kept each connection for reuse and, now and then, sent the
        // next request on one the daemon had just closed: a POST then failed with "Connection reset".
        ControlClient client = ControlClient.connect(dataDir);
        for (int i = 0; i < 150; i++) {
            ApiError refused = assertThrows(ApiError.class,
                    () -> client.post("/v1/transfers", Map.of("link", "nope")));
            assertEquals(400, refused.status(), refused.getMessage());
            assertEquals(node.id().toHex(), client.get("/v1/status").path("nodeId").asText());
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private String request(String method, String path, String connectionHeader, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nAuthorization: Bearer "
                + token + "\r\n" + (connectionHeader.isEmpty() ? "" : connectionHeader + "\r\n")
                + (bytes.length == 0 ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n")
                + "\r\n" + body;
    }

    /** One answer's status line and headers; its body (by Content-Length) is read past, so the next answer follows. */
    private static String readHeadersAndBody(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed within an answer's headers: " + head);
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        long length = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
        assertEquals(length, in.readNBytes((int) length).length, "the whole body");
        return headers;
    }
}
