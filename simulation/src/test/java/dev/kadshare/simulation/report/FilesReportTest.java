package dev.kadshare.simulation.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesReportTest {
    private static final Cost COST = new Cost(1, 2, 3);
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void lookupSamplesAsCsvAndLatencyCdfAsPng(@TempDir Path dir) throws Exception {
        LookupReport report = new LookupReport("lookup", "virtual", 3, 3, List.of(), 1,
                List.of(new LookupSample(true, 2, 20, 120.5), new LookupSample(false, 3, 25, 900)), 100, COST);
        Path csv = CsvReport.write(report, dir);
        assertEquals(List.of("lookup,success,hops,rpcs,latencyMs", "0,true,2,20,120.500", "1,false,3,25,900.000"),
                Files.readAllLines(csv));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(Charts.write(report, dir)), 4));
    }

    @Test
    void swarmCompletionAsCsvAndCurveAsPng(@TempDir Path dir) throws Exception {
        SwarmReport report = new SwarmReport("virtual", 2, 1, 1000, new double[] {1.5, 2.25}, 1.0, COST);
        assertEquals(List.of("downloader,completionSeconds", "1,1.500000", "2,2.250000"),
                Files.readAllLines(CsvReport.write(report, dir)));
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(Charts.write(report, dir)), 4));
        assertEquals(2.25, report.boundRatio(), 1e-12);
    }
}
