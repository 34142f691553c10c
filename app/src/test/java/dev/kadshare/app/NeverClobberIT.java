package dev.kadshare.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.testkit.RandomFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11's first report, from the built jar: a download never replaces the user's file, nor their .bashrc. */
class NeverClobberIT {
    @TempDir
    Path dir;

    @Test
    void aFileOfTheSameNameAndADotFileInTheHomeDirectoryAreKept() throws Exception {
        Path file = RandomFiles.write(dir.resolve("files/x.bin"), 1024 * 1024 + 3, 11);
        try (Kadshare.Daemon a = Kadshare.Daemon.start(dir.resolve("a"));
             Kadshare.Daemon b = Kadshare.Daemon.start(dir.resolve("b"), "--bootstrap", "127.0.0.1:" + a.port(dir))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> b.status(dir).path("routingTableSize").asInt() > 0);

            // echo mine > out/x.bin; kadshare get LINK --out out
            Path out = Files.createDirectories(dir.resolve("out"));
            Files.writeString(out.resolve("x.bin"), "mine\n");
            String link = a.cli(dir, "share", file.toString()).lastLine();
            Kadshare.Result get = b.cli(dir, "get", link, "--out", out.toString());
            assertEquals(0, get.exitCode(), get.toString());
            assertEquals("complete: " + out.resolve("x (1).bin"), get.lastLine());
            assertEquals("mine\n", Files.readString(out.resolve("x.bin")));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(out.resolve("x (1).bin")));

            // A share called .bashrc, fetched with the default --out . from a home directory.
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.writeString(home.resolve(".bashrc"), "alias ls='ls --color'\n");
            Kadshare.Result share = a.cli(dir, "share", file.toString(), "--name", ".bashrc");
            get = b.cli(home, "get", share.lastLine());
            assertEquals(0, get.exitCode(), get.toString());
            assertEquals("complete: " + home.resolve("_bashrc"), get.lastLine());
            assertEquals("alias ls='ls --color'\n", Files.readString(home.resolve(".bashrc")));
        }
    }
}
