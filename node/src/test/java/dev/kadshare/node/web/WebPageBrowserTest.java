package dev.kadshare.node.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.Node;
import dev.kadshare.node.NodeTestSupport;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.api.ControlServer;
import dev.kadshare.node.datadir.DataDir;
import dev.kadshare.node.transfers.TransferState;
import dev.kadshare.testkit.RandomFiles;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The web page in a real headless browser, against a real daemon's control API: A bootstraps, B shares, C runs
 * the control API the browser talks to. After every test, nothing the page asked for left the daemon's address
 * and nothing broke its Content-Security-Policy.
 */
class WebPageBrowserTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static Node a;
    private static Node b;
    private static Node c;
    private static ControlServer api;
    private static String base;
    private static String token;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> reason = Browser.unavailable();
        Assumptions.assumeTrue(reason.isEmpty(), () -> "browser tests skipped: " + reason.orElseThrow());
        a = NodeTestSupport.loopbackNode(dir.resolve("a"), List.of());
        b = NodeTestSupport.loopbackNode(dir.resolve("b"), List.of(a.address()));
        c = NodeTestSupport.loopbackNode(dir.resolve("c"), List.of(a.address()));
        b.bootstrapped().get(10, TimeUnit.SECONDS);
        c.bootstrapped().get(10, TimeUnit.SECONDS);
        DataDir dataDir = new DataDir(dir.resolve("c"));
        api = ControlServer.start(dataDir, c, () -> { });
        base = "http://" + Files.readString(dataDir.apiAddress()).trim();
        token = Files.readString(dataDir.apiToken()).trim();
        browser = Browser.open(dir.resolve("profile"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable open : new AutoCloseable[] {browser, api, c, b, a}) {
            try {
                if (open != null) {
                    open.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void freshTab() {
        browser.resize(1000, 760);
        browser.go(base + "/");
        browser.js("sessionStorage.clear()");
        browser.go(base + "/");
    }

    @AfterEach
    void nothingLeftTheMachineAndThePolicyHeld() {
        for (String url : browser.requestedUrls()) {
            // Other schemes (chrome:, about:, data:) are the browser's own start page, never the network; the
            // daemon is on 127.0.0.1, or behind the name FOREIGN_HOST resolves to it, or behind a local proxy.
            boolean network = url.matches("(?i)(https?|wss?|ftp)://.*");
            assertTrue(!network || url.matches("http://(127\\.0\\.0\\.1|" + Pattern.quote(Browser.FOREIGN_HOST)
                    + "):\\d+/.*"), "the page asked for " + url);
        }
        assertEquals(List.of(), browser.consoleErrors().stream()
                .filter(e -> e.contains("Content Security Policy") || e.contains("Uncaught")).toList());
    }

    private void signIn(String withToken) {
        WebElement field = browser.driver().findElement(By.id("token"));
        field.clear();
        field.sendKeys(withToken, Keys.ENTER); // the keyboard alone signs in
    }

    private void signedIn() {
        signIn(token);
        await().atMost(PATIENCE).until(() -> visible("app"));
    }

    private boolean visible(String id) {
        return Boolean.TRUE.equals(browser.js("const e = document.getElementById(arguments[0]);"
                + " return !!e && !e.hidden && e.getClientRects().length > 0", id));
    }

    /** The state the page shows for the transfer (or share) of {@code contentId} in list {@code list}, or null. */
    private String stateOf(String list, String contentId) {
        return browser.text("return document.querySelector(`#${arguments[0]} li[data-id='${arguments[1]}']`)"
                + "?.dataset.state ?? null", list, contentId);
    }

    private String field(String list, String contentId, String field) {
        return browser.text("return document.querySelector(`#${arguments[0]} li[data-id='${arguments[1]}']"
                + " [data-f='${arguments[2]}']`)?.textContent ?? null", list, contentId, field);
    }

    private WebElement button(String list, String contentId, String action) {
        return browser.driver().findElement(By.cssSelector("#" + list + " li[data-id='" + contentId + "'] button[data-a='"
                + action + "']"));
    }

    private void submit(String formId, String input, String value) {
        WebElement field = browser.driver().findElement(By.id(input));
        field.clear();
        field.sendKeys(value);
        browser.driver().findElement(By.cssSelector("#" + formId + " button[type=submit]")).click();
    }

    @Test
    void aWrongTokenIsRefusedAndTheRightOneSignsInForTheTab() {
        // The page shows its sign-in once its script has run, which under load may be after the navigation returned.
        await().atMost(PATIENCE).until(() -> visible("sign-in"));
        signIn("0123456789abcdef");
        await().atMost(PATIENCE).until(() -> browser.text("return document.getElementById('sign-in-error').textContent")
                .contains("wrong token"));
        assertFalse(visible("app"), "a wrong token shows nothing of the node");

        signedIn();
        assertEquals(c.id().toHex(), browser.text("return document.getElementById('node-id').title"));
        await().atMost(PATIENCE).until(() -> "live".equals(browser.text("return document.getElementById('node-live').textContent")));
        assertEquals(token, browser.text("return sessionStorage.getItem('kadshare.token')"));
        browser.go(base + "/");
        await().atMost(PATIENCE).until(() -> visible("app"));
        assertFalse(visible("sign-in"), "the token is asked once per tab");
    }

    @Test
    void addsALinkAndWatchesItComplete() throws Exception {
        String name = "Holiday clip (4K).bin";
        Path original = RandomFiles.write(dir.resolve("share/clip.bin"), 3 * 1024 * 1024 + 77, 7);
        ShareResult shared = b.share(original, Optional.of(name)).get(30, TimeUnit.SECONDS);
        signedIn();

        Path out = Files.createDirectories(dir.resolve("c-out"));
        submit("add-link", "out-dir", out.toString());
        submit("add-link", "link", shared.link());
        await().atMost(PATIENCE).until(() -> "COMPLETE".equals(stateOf("transfers", shared.contentId())));
        assertEquals("100 %", field("transfers", shared.contentId(), "percent"));
        assertEquals(name, field("transfers", shared.contentId(), "name"));
        assertArrayEquals(Files.readAllBytes(original),
                Files.readAllBytes(Path.of(c.transfer(shared.contentId()).orElseThrow().path())));
        // Complete, C serves it too: a share, listed from the event stream.
        await().atMost(PATIENCE).until(() -> "SHARING".equals(stateOf("shares", shared.contentId())));

        button("transfers", shared.contentId(), "detail").click();
        await().atMost(PATIENCE).until(() -> visible("detail"));
        String peerAddress = browser.text("return document.querySelector('#detail-peers tbody td')?.textContent ?? ''");
        assertTrue(peerAddress.endsWith(":" + b.port()), "the detail view lists B as a peer: " + peerAddress);
        assertEquals(b.id().toHex(), browser.text("return document.querySelector('#detail-peers td.id').title"));
        browser.driver().findElement(By.id("detail")).sendKeys(Keys.ESCAPE);
        await().atMost(PATIENCE).until(() -> !visible("detail"));

        browser.resize(1000, 1000);
        Files.write(Path.of("target", "web-page.png"), browser.screenshot()); // README's picture
    }

    @Test
    void pausesAndResumesWithTheKeyboard() {
        String link = "magnet:?xt=urn:kadshare:" + "5e".repeat(32) + "&dn=nobody%20has%20it.bin";
        String id = "5e".repeat(32);
        signedIn();
        submit("add-link", "link", link);
        await().atMost(PATIENCE).until(() -> "SEARCHING".equals(stateOf("transfers", id)));

        button("transfers", id, "pause").sendKeys(Keys.ENTER);
        await().atMost(PATIENCE).until(() -> "PAUSED".equals(stateOf("transfers", id)));
        assertEquals(TransferState.PAUSED, c.transfer(id).orElseThrow().state());

        button("transfers", id, "resume").sendKeys(Keys.ENTER);
        await().atMost(PATIENCE).until(() -> "SEARCHING".equals(stateOf("transfers", id)));
        assertEquals(TransferState.SEARCHING, c.transfer(id).orElseThrow().state());
    }

    /** The stream breaks; what happened meanwhile comes when it is back, asked for with Last-Event-ID. */
    @Test
    void reconnectsWithLastEventIdAndMissesNothing() throws Exception {
        String id = "7a".repeat(32);
        URI api = URI.create(base);
        try (CuttableProxy proxy = new CuttableProxy(new InetSocketAddress(api.getHost(), api.getPort()))) {
            String through = "http://127.0.0.1:" + proxy.port();
            browser.go(through + "/");
            signedIn();
            submit("add-link", "link", "magnet:?xt=urn:kadshare:" + id + "&dn=while%20cut%20off.bin");
            await().atMost(PATIENCE).until(() -> "SEARCHING".equals(stateOf("transfers", id)));

            proxy.cut();
            await().atMost(PATIENCE).until(() -> "reconnecting".equals(
                    browser.text("return document.getElementById('node-live').textContent")));
            assertEquals(TransferState.PAUSED, c.pause(id).orElseThrow().state());
            assertEquals("SEARCHING", stateOf("transfers", id), "nothing reaches the page while it is cut off");
            proxy.restore();

            await().atMost(PATIENCE).until(() -> "PAUSED".equals(stateOf("transfers", id)));
            assertTrue(browser.requests().stream().anyMatch(r -> r.path("url").asText().equals(through + "/v1/events")
                    && r.path("headers").path("Last-Event-ID").asText().matches("\\d+")),
                    "the page came back with the last id it saw");
            browser.go(base + "/"); // off the proxy before it closes
        }
    }

    @Test
    void searchesAndFetchesAResultInOneClick() throws Exception {
        Path original = RandomFiles.write(dir.resolve("share/Holiday Beach 2026.bin"), 1024 * 1024, 11);
        ShareResult shared = b.share(original).get(30, TimeUnit.SECONDS);
        signedIn();

        // Keyword records reach the DHT shortly after the share: search until the hit is there.
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            submit("search", "query", "holi beach");
            await().atMost(PATIENCE).until(() -> browser.driver().findElement(By.cssSelector("#search button"))
                    .isEnabled());
            return browser.js("return document.querySelector(`#results li[data-id='${arguments[0]}']`) !== null",
                    shared.contentId()).equals(Boolean.TRUE);
        });
        assertEquals("Holiday Beach 2026.bin", browser.text(
                "return document.querySelector(`#results li[data-id='${arguments[0]}'] .name`).textContent",
                shared.contentId()));
        browser.driver().findElement(By.cssSelector("#results li[data-id='" + shared.contentId() + "'] button"))
                .click();
        await().atMost(PATIENCE).until(() -> "COMPLETE".equals(stateOf("transfers", shared.contentId())));
        assertArrayEquals(Files.readAllBytes(original),
                Files.readAllBytes(Path.of(c.transfer(shared.contentId()).orElseThrow().path())));
    }

    /** A node that knows no one asked no one: its page says so beside the empty results, not only "(0)". */
    @Test
    void aSearchOnANodeThatKnowsNoOneSaysNoOneWasAsked() throws Exception {
        DataDir aloneDir = new DataDir(dir.resolve("alone"));
        try (Node alone = NodeTestSupport.loopbackNode(aloneDir.root(), List.of());
             ControlServer aloneApi = ControlServer.start(aloneDir, alone, () -> { })) {
            browser.go("http://" + Files.readString(aloneDir.apiAddress()).trim() + "/");
            signIn(Files.readString(aloneDir.apiToken()).trim());
            await().atMost(PATIENCE).until(() -> visible("app"));
            submit("search", "query", "holiday");
            await().atMost(PATIENCE).until(() -> browser.text("return document.getElementById('message').textContent")
                    .startsWith("this node knows no other node yet, so no one was asked"));
            assertEquals("Results for \"holiday\" (0)", browser.text(
                    "return document.getElementById('results-title').textContent"));
        }
    }

    @Test
    void removesATransferWithAndWithoutItsDataAndShowsNamesAsText() throws Exception {
        Path keep = RandomFiles.write(dir.resolve("share/keep.bin"), 300_000, 21);
        Path drop = RandomFiles.write(dir.resolve("share/drop.bin"), 300_000, 22);
        Path out = Files.createDirectories(dir.resolve("c-removals"));
        String name = "<img src=x onerror=alert(1)> keep & \"notes\".bin";
        ShareResult kept = b.share(keep, Optional.of(name)).get(30, TimeUnit.SECONDS);
        ShareResult dropped = b.share(drop).get(30, TimeUnit.SECONDS);
        signedIn();
        submit("add-link", "out-dir", out.toString());
        submit("add-link", "link", kept.link());
        submit("add-link", "link", dropped.link());
        await().atMost(PATIENCE).until(() -> "COMPLETE".equals(stateOf("transfers", kept.contentId()))
                && "COMPLETE".equals(stateOf("transfers", dropped.contentId())));
        assertEquals(name, field("transfers", kept.contentId(), "name"), "a peer's name is shown as it is, as text");
        assertEquals(0L, browser.js("return document.querySelectorAll('main img').length"), "and never as HTML");
        Path keptFile = Path.of(c.transfer(kept.contentId()).orElseThrow().path());

        button("transfers", kept.contentId(), "remove").click();
        await().atMost(PATIENCE).until(() -> stateOf("transfers", kept.contentId()) == null);
        assertTrue(Files.exists(keptFile), "Remove keeps the data");
        assertTrue(c.transfer(kept.contentId()).isEmpty());

        button("transfers", dropped.contentId(), "remove-data").click();
        browser.driver().switchTo().alert().accept(); // it asks first
        await().atMost(PATIENCE).until(() -> stateOf("transfers", dropped.contentId()) == null);
        assertFalse(Files.exists(out.resolve("drop.bin")), "Remove + data deletes it");
        assertTrue(browser.text("return document.getElementById('message').textContent").contains("data deleted"));
    }

    @Test
    void fitsAPhoneAndIsReadableInDarkMode() throws Exception {
        signedIn();
        browser.resize(390, 800);
        browser.colourScheme("dark");
        try {
            assertEquals(Boolean.TRUE, browser.js("return document.documentElement.scrollWidth"
                    + " <= document.documentElement.clientWidth"), "no sideways scrolling on a phone");
            double background = luminance("getComputedStyle(document.body).backgroundColor");
            double text = luminance("getComputedStyle(document.body).color");
            assertTrue(background < 0.1 && text > 0.6, "dark background " + background + ", light text " + text);
            Files.write(Path.of("target", "web-page-phone-dark.png"), browser.screenshot());
        } finally {
            browser.colourScheme("");
        }
    }

    /** Relative luminance (0 black .. 1 white) of a CSS rgb() colour the script yields. */
    private double luminance(String expression) {
        String rgb = browser.text("return " + expression);
        String[] parts = rgb.replaceAll("[^0-9,.]", "").split(",");
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = Double.parseDouble(parts[i]) / 255;
            c[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    @Test
    void aForeignHostHeaderGetsNeitherThePageNorTheApi() {
        String foreign = base.replace("127.0.0.1", Browser.FOREIGN_HOST);
        browser.go(foreign + "/");
        String body = browser.text("return document.body.innerText");
        assertTrue(body.contains("refused") && body.contains("Host"), body);
        assertEquals(Boolean.FALSE, browser.js("return document.getElementById('sign-in') !== null"));
        browser.go(foreign + "/v1/status");
        assertTrue(browser.text("return document.body.innerText").contains("refused"));
    }
}
