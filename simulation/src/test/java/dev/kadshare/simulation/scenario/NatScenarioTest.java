package dev.kadshare.simulation.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.simulation.nat.NatKind;
import dev.kadshare.simulation.nat.NatShares;
import dev.kadshare.simulation.report.JsonReport;
import dev.kadshare.simulation.report.NatReport;
import dev.kadshare.simulation.report.NatReport.Path;
import dev.kadshare.simulation.virtual.VirtualCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatScenarioTest {
    private static NatReport run(NatShares shares, int nodes, int pairs) {
        NatSettings settings = new NatSettings(new LookupSettings(nodes, 40, pairs, 64, 20, 7, Duration.ofMinutes(30)),
                shares, Duration.ofMinutes(5));
        try (VirtualCluster cluster = new VirtualCluster(7, 50, 0.5, 0, shares)) {
            return NatScenario.run(cluster, settings);
        }
    }

    @Test
    void pairsConnectAsTheirNatsAllow() {
        NatReport report = run(new NatShares(0.5, 0.3), 300, 240);
        String json = JsonReport.of(report);
        assertEquals(300, report.joined(), json);
        assertTrue(report.droppedAtNat() > 0, json);
        // Each node judges its own mapping from what others saw: most get it right once the network is built.
        for (NatKind kind : NatKind.values()) {
            assertTrue(report.judgedRight(kind) >= 0.9, kind + " judged right: " + json);
        }
        for (NatReport.PairSample p : report.pairs()) {
            // The sharer dials an introduced open getter back (a reverse connection); two cones meet in the middle.
            boolean punchable = p.getter() == NatKind.OPEN
                    || p.getter() == NatKind.PORT_PRESERVING && p.sharer() == NatKind.PORT_PRESERVING;
            Path expected = p.sharer() == NatKind.OPEN ? Path.DIRECT
                    : p.introduced() && punchable ? Path.PUNCHED : Path.RELAYED;
            if (p.path() != Path.NOT_FOUND) {
                assertEquals(expected, p.path(), p + " in " + json);
            }
        }
        // Sharers behind NATs are found (their routers' addresses are announced) and introduced (their keepalives
        // hold their routers open for the storers through the idle minutes).
        assertTrue(report.share(Path.NOT_FOUND) <= 0.02, json);
        long needIntroduction = report.pairs().stream().filter(p -> p.sharer() != NatKind.OPEN).count();
        long introduced = report.pairs().stream().filter(NatReport.PairSample::introduced).count();
        assertTrue(introduced >= 0.95 * needIntroduction, introduced + " of " + needIntroduction + ": " + json);
    }
}
