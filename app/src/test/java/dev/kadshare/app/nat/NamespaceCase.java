package dev.kadshare.app.nat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kadshare.testkit.netns.NetLab;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** What every case on a {@link NetLab} shares: a temporary directory, and a skip with the reason where no lab can be built. */
abstract class NamespaceCase {
    @TempDir
    Path dir;

    @BeforeAll
    static void needsNamespaces() {
        assumeTrue(NetLab.unavailable().isEmpty(), () -> "skipped: " + NetLab.unavailable().orElseThrow());
    }
}
