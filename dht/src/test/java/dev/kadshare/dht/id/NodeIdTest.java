package dev.kadshare.dht.id;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NodeIdTest {
    static NodeId withFirstByte(int b) {
        byte[] bytes = new byte[32];
        bytes[0] = (byte) b;
        return NodeId.of(bytes);
    }

    static NodeId withLastByte(int b) {
        byte[] bytes = new byte[32];
        bytes[31] = (byte) b;
        return NodeId.of(bytes);
    }

    @Test
    void hexRoundTripAndValueEquality() {
        NodeId id = NodeId.random(new SplittableRandom(1));
        assertEquals(id, NodeId.fromHex(id.toHex()));
        assertEquals(id.hashCode(), NodeId.of(id.bytes()).hashCode());
        assertEquals(64, id.toHex().length());
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[31]));
    }

    @Test
    void bytesIsACopy() {
        NodeId id = withFirstByte(7);
        id.bytes()[0] = 99;
        assertEquals(withFirstByte(7), id);
    }

    @Test
    void xorDistance() {
        NodeId a = withLastByte(0b1010);
        NodeId b = withLastByte(0b0110);
        assertEquals(withLastByte(0b1100), a.distance(b));
        assertEquals(a.distance(b), b.distance(a));
        assertEquals(NodeId.of(new byte[32]), a.distance(a));
    }

    @Test
    void commonPrefixAndBucketIndex() {
        NodeId zero = NodeId.of(new byte[32]);
        assertEquals(256, zero.commonPrefixLength(zero));
        assertEquals(-1, zero.bucketIndex(zero));
        assertEquals(0, zero.commonPrefixLength(withFirstByte(0x80)));
        assertEquals(255, zero.bucketIndex(withFirstByte(0x80)));
        assertEquals(7, zero.commonPrefixLength(withFirstByte(0x01)));
        assertEquals(248, zero.bucketIndex(withFirstByte(0x01)));
        assertEquals(255, zero.commonPrefixLength(withLastByte(1)));
        assertEquals(0, zero.bucketIndex(withLastByte(1)));
        assertEquals(3, zero.bucketIndex(withLastByte(0b1010)));
    }

    @Test
    void distanceComparatorOrdersClosestFirst() {
        NodeId target = withLastByte(0b1000);
        List<NodeId> ids = new ArrayList<>(List.of(withLastByte(0), withLastByte(0b1001), withFirstByte(1), withLastByte(0b1000)));
        ids.sort(NodeId.byDistanceTo(target));
        assertEquals(List.of(withLastByte(0b1000), withLastByte(0b1001), withLastByte(0), withFirstByte(1)), ids);
    }

    @Test
    void naturalOrderIsUnsigned() {
        assertTrue(withFirstByte(0x80).compareTo(withFirstByte(0x7F)) > 0);
    }

    @Test
    void randomInBucketFallsInThatBucket() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        NodeId self = NodeId.random(r);
        for (int index = 0; index < NodeId.BITS; index++) {
            for (int i = 0; i < 5; i++) {
                assertEquals(index, self.bucketIndex(NodeId.randomInBucket(self, index, r)));
            }
        }
    }
}
