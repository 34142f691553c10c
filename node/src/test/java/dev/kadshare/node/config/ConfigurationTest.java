package dev.kadshare.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.datadir.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationTest {
    @TempDir
    Path dir;

    @Test
    void flagBeatsEnvironmentBeatsConfigFile() throws Exception {
        DataDir dataDir = new DataDir(dir);
        Files.writeString(dataDir.configFile(), "port = 7000\nhost=127.0.0.1\nmax-upload-rate=1M\n");
        Configuration config = Configuration.load(dataDir, Map.of("KADSHARE_PORT", "7100", "KADSHARE_MAX_UPLOAD_RATE", "2M"));
        assertEquals(Optional.of("7200"), config.value("port", "7200"));
        assertEquals(Optional.of("7100"), config.value("port", null));
        assertEquals(Optional.of("2M"), config.value("max-upload-rate", null));
        assertEquals(Optional.of("127.0.0.1"), config.value("host", null));
        assertEquals(Optional.empty(), config.value("log-level", null));
    }

    @Test
    void noConfigFileMeansFlagsAndEnvironmentOnly() throws Exception {
        Configuration config = Configuration.load(new DataDir(dir.resolve("fresh")), Map.of());
        assertTrue(config.value("port", null).isEmpty());
        assertEquals("KADSHARE_MAX_DOWNLOAD_RATE", Configuration.environmentName("max-download-rate"));
    }

    @Test
    void byteRatesTakeBinarySuffixes() {
        assertEquals(0, ByteRate.parse("0"));
        assertEquals(500_000, ByteRate.parse("500000"));
        assertEquals(512 * 1024, ByteRate.parse("512k"));
        assertEquals(10L << 20, ByteRate.parse("10M"));
        assertEquals(1L << 30, ByteRate.parse("1G"));
        for (String bad : new String[] {"", "fast", "-1", "10X", "M", "99999999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> ByteRate.parse(bad), bad);
        }
    }
}
