package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.datadir.DataDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dir;

    @Test
    void requestsWithoutTheTokenAreRefusedAndErrorsAreJson() throws Exception {
        DataDir dataDir = new DataDir(dir.resolve("d"));
        try (Node node = NodeTestSupport.loopbackNode(dataDir.root(), List.of());
             ControlServer server = ControlServer.start(dataDir, node, () -> { })) {
            String address = Files.readString(dataDir.apiAddress()).trim();
            assertTrue(address.startsWith("127.0.0.1:"), address);
            HttpClient http = HttpClient.newHttpClient();
            URI status = URI.create("http://" + address + "/v1/status");

            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(status).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());
            assertTrue(Json.MAPPER.readTree(anonymous.body()).path("error").asText().contains("token"));

            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(status)
                    .header("Authorization", "Bearer 0000").build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());

            ControlClient client = ControlClient.connect(dataDir);
            assertEquals(node.id().toHex(), client.get("/v1/status").path("nodeId").asText());
            ApiError missing = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                    () -> client.get("/v1/transfers/abc"));
            assertEquals(404, missing.status());
            ApiError badJson = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class,
                    () -> client.post("/v1/transfers", java.util.Map.of("link", "nope")));
            assertEquals(400, badJson.status());
        }
        assertTrue(Files.notExists(dataDir.apiAddress()), "address file removed on close");
    }
}
