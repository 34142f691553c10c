package dev.kadshare.simulation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapHistogramTest {
    @Test
    void readsTheTopRowsOfAClassHistogram() {
        String text = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:       2332418      118242752  [B (java.base@17.0.15)
                   2:       1442922       34630128  dev.kadshare.dht.routing.Contact
                   3:       2130163       34082608  dev.kadshare.dht.id.NodeId
                Total      5905503      186955488
                """;
        assertEquals(List.of(new HeapHistogram.Entry("[B", 2332418, 118242752),
                new HeapHistogram.Entry("dev.kadshare.dht.routing.Contact", 1442922, 34630128)), HeapHistogram.parse(text, 2));
        assertEquals(3, HeapHistogram.parse(text, 10).size());
    }
}
