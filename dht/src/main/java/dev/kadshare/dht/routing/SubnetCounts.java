package dev.kadshare.dht.routing;

import dev.kadshare.net.Subnet;
import java.util.Arrays;

/**
 * How many contacts of the table sit in each network: one sorted {@code long} per counted contact (a few KiB for
 * a full table, where a hash map would cost a large simulation more than its routing tables).
 */
final class SubnetCounts {
    private long[] keys = new long[8];
    private int size;

    /**
     * A network as one number. An IPv6 /64 and an IPv4 /24 meet only for IPv6 prefixes inside ::/40 (reserved
     * space, never a contact's address), and then they just share a count.
     */
    static long key(Subnet subnet) {
        return subnet.prefix();
    }

    int count(long key) {
        int at = lowerBound(key);
        int n = 0;
        while (at + n < size && keys[at + n] == key) {
            n++;
        }
        return n;
    }

    void add(long key) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        int at = lowerBound(key);
        System.arraycopy(keys, at, keys, at + 1, size - at);
        keys[at] = key;
        size++;
    }

    void remove(long key) {
        int at = lowerBound(key);
        if (at < size && keys[at] == key) {
            System.arraycopy(keys, at + 1, keys, at, size - at - 1);
            size--;
        }
    }

    private int lowerBound(long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
