package dev.kadshare.node.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kadshare.node.api.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's chromium, headless, driven by Selenium through Debian's chromedriver. Both paths are given, so Selenium
 * Manager is never asked to find (or download) a driver or a browser (the node module's surefire also points
 * {@code SE_MANAGER_PATH} at nothing, so asking would fail rather than download). Chromium's own background
 * traffic (updates, sync, metrics) is turned off and every host name but localhost and {@link #FOREIGN_HOST} fails
 * to resolve; {@link #requestedUrls} lists what the pages asked for, so a test can check nothing left the machine.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A name the browser resolves to 127.0.0.1, as a DNS-rebinding attacker's would. */
    static final String FOREIGN_HOST = "rebind.test";

    private final ChromeDriver driver;
    private final List<String> requested = new ArrayList<>();
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<String> consoleErrors = new ArrayList<>();

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why the browser tests cannot run here, if they cannot. */
    static Optional<String> unavailable() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                return Optional.of(binary + " is missing: Debian's chromium and chromium-driver packages, which"
                        + " bin/test-packages installs when the build runs as root");
            }
        }
        return Optional.empty();
    }

    static Browser open(Path profile) throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,760",
                "--user-data-dir=" + Files.createDirectories(profile), "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
                "--metrics-recording-only", "--lang=en-US",
                "--host-resolver-rules=MAP " + FOREIGN_HOST + " 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            options.addArguments("--no-sandbox"); // chromium refuses to run its sandbox as root
        }
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, java.util.logging.Level.ALL);
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    ChromeDriver driver() {
        return driver;
    }

    void go(String url) {
        driver.get(url);
    }

    /** Runs {@code script} in the page (its arguments as {@code arguments[i]}) and returns its result. */
    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    String text(String script, Object... args) {
        Object value = js(script, args);
        return value == null ? null : value.toString();
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Emulates the system's colour scheme ("dark", "light"; "" for none). */
    void colourScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /** Cuts the page off the network (open streams included) or lets it back on. */
    void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", 0,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    /** Every URL the pages requested since the browser started. */
    List<String> requestedUrls() {
        drainLogs();
        return List.copyOf(requested);
    }

    /** Every request the pages sent since the browser started, as chromium logged it (url, method, headers). */
    List<JsonNode> requests() {
        drainLogs();
        return List.copyOf(requests);
    }

    /** The console's errors since the browser started (a Content-Security-Policy violation is one). */
    List<String> consoleErrors() {
        drainLogs();
        return List.copyOf(consoleErrors);
    }

    private void drainLogs() {
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = Json.MAPPER.readTree(entry.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                    requested.add(message.path("params").path("request").path("url").asText());
                    requests.add(message.path("params").path("request"));
                }
            } catch (IOException e) {
                throw new IllegalStateException("chromedriver wrote a log entry that is no JSON: " + entry, e);
            }
        }
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                consoleErrors.add(entry.getMessage());
            }
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
