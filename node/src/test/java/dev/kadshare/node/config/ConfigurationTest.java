package dev.kadshare.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.datadir.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        assertEquals(Optional.of(new Configuration.Value("7200", "--port")), config.value("port", "7200"));
        assertEquals(Optional.of(new Configuration.Value("7100", "KADSHARE_PORT")), config.value("port", null));
        assertEquals(Optional.of(new Configuration.Value("2M", "KADSHARE_MAX_UPLOAD_RATE")),
                config.value("max-upload-rate", null));
        assertEquals(Optional.of(new Configuration.Value("127.0.0.1", dataDir.configFile() + " line 2 (host)")),
                config.value("host", null));
        assertEquals(Optional.empty(), config.value("log-level", null));
    }

    @Test
    void noConfigFileMeansFlagsAndEnvironmentOnly() throws Exception {
        Configuration config = Configuration.load(new DataDir(dir.resolve("fresh")), Map.of());
        assertTrue(config.value("port", null).isEmpty());
        assertEquals("KADSHARE_MAX_DOWNLOAD_RATE", Configuration.environmentName("max-download-rate"));
    }

    @Test
    void unknownFileKeysAndVariablesAreReportedWithWhereTheyWere() throws Exception {
        DataDir dataDir = new DataDir(dir);
        Files.writeString(dataDir.configFile(), "# comment\nport=7000\n\nprot=7001\nmax_upload_rate=1M\n");
        Configuration config = Configuration.load(dataDir, Map.of("KADSHARE_PORT", "1", "KADSHARE_PROT", "2",
                "KADSHARE_HOME", "/x", "KADSHARE_JAVA_OPTS", "-Xmx1g", "PATH", "/bin"));
        assertEquals(List.of(new Configuration.Unknown("KADSHARE_PROT", Configuration.Source.ENVIRONMENT, "environment"),
                new Configuration.Unknown("prot", Configuration.Source.CONFIG_FILE, dataDir.configFile() + " line 4"),
                new Configuration.Unknown("max_upload_rate", Configuration.Source.CONFIG_FILE,
                        dataDir.configFile() + " line 5")), config.unknown());
    }

    @Test
    void aBadValueNamesWhereItCameFrom() throws Exception {
        DataDir dataDir = new DataDir(dir);
        Files.writeString(dataDir.configFile(), "host=127.0.0.1\nport=http\nmax-upload-rate=fast\n");
        Configuration fileOnly = Configuration.load(dataDir, Map.of());
        InvalidSetting fromFile = assertThrows(InvalidSetting.class, () -> fileOnly.parsed("port", null, Integer::parseInt));
        assertEquals(dataDir.configFile() + " line 2 (port): expected a whole number, got 'http'", fromFile.getMessage());
        InvalidSetting rate = assertThrows(InvalidSetting.class,
                () -> fileOnly.parsed("max-upload-rate", null, ByteRate::parse));
        assertTrue(rate.getMessage().startsWith(dataDir.configFile() + " line 3 (max-upload-rate): expected bytes per second"),
                rate.getMessage());

        Configuration withEnv = Configuration.load(dataDir, Map.of("KADSHARE_PORT", "ftp"));
        assertEquals("KADSHARE_PORT: expected a whole number, got 'ftp'",
                assertThrows(InvalidSetting.class, () -> withEnv.parsed("port", null, Integer::parseInt)).getMessage());
        assertEquals("--port: expected a whole number, got 'x'",
                assertThrows(InvalidSetting.class, () -> withEnv.parsed("port", "x", Integer::parseInt)).getMessage());
        assertEquals(Optional.of(7), withEnv.parsed("port", "7", Integer::parseInt));
    }

    @Test
    void aLineThatIsNotNameEqualsValueIsAnErrorNamingIt() throws Exception {
        DataDir dataDir = new DataDir(dir);
        Files.writeString(dataDir.configFile(), "port=7000\nverbose\n");
        InvalidSetting e = assertThrows(InvalidSetting.class, () -> Configuration.load(dataDir, Map.of()));
        assertEquals(dataDir.configFile() + " line 2: expected name=value, got 'verbose'", e.getMessage());
    }

    @Test
    void aFileThatIsNotUtf8IsAnErrorNamingItAndAByteOrderMarkIsNoPartOfAName() throws Exception {
        DataDir dataDir = new DataDir(dir);
        // "# réglages" saved as Latin-1: one byte that is no UTF-8, in a comment
        Files.write(dataDir.configFile(), new byte[] {'#', ' ', 'r', (byte) 0xe9, 'g', 'l', 'a', 'g', 'e', 's', '\n'});
        InvalidSetting e = assertThrows(InvalidSetting.class, () -> Configuration.load(dataDir, Map.of()));
        assertEquals(dataDir.configFile() + ": not UTF-8 text; save it as UTF-8", e.getMessage());

        Files.writeString(dataDir.configFile(), "\uFEFFport=7000\n");
        Configuration config = Configuration.load(dataDir, Map.of());
        assertEquals(List.of(), config.unknown());
        assertEquals(Optional.of(7000), config.parsed("port", null, Integer::parseInt));
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
