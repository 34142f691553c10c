package dev.kadshare.node.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.transfers.TransferState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoTest {
    @Test
    void smallDemoDownloadsIdenticalCopiesAndSaysSo() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.Outcome outcome = Demo.run(new Demo.Options(6, 3, 3, 5, 0), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(outcome.allIdentical(), printed);
        assertEquals(3, outcome.downloads().size());
        outcome.downloads().forEach(d -> assertEquals(TransferState.COMPLETE, d.state()));
        assertTrue(printed.contains("every copy verified identical"), printed);
        assertTrue(printed.contains("hops"), printed);
    }
}
