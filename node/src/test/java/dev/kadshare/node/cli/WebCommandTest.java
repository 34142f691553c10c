package dev.kadshare.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kadshare web} prints the page's address, which serves the page, and the token the API takes. */
class WebCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheAddressToOpenAndTheToken() throws Exception {
        Path data = dir.resolve("d");
        try (CliDaemons daemons = new CliDaemons()) {
            daemons.start(data);
            CliRun run = CliRun.of("web", "--data-dir", data.toString());
            assertEquals(0, run.exitCode(), run.toString());
            String url = run.out().lines().filter(l -> l.startsWith("open ")).findFirst().orElseThrow()
                    .substring(5).trim();
            String token = run.out().lines().filter(l -> l.startsWith("token ")).findFirst().orElseThrow()
                    .substring(6).trim();
            assertEquals("http://" + Files.readString(data.resolve("api.address")).trim() + "/", url);
            assertEquals(Files.readString(data.resolve("api.token")).trim(), token);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<title>kadshare</title>"), page.body());
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(url + "v1/status"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, status.statusCode(), "the token printed is the one the API takes");
        }
    }
}
