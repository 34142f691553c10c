package dev.kadshare.transfer.serving;

import dev.kadshare.transfer.TokenBucket;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link ServingHub} takes from its server.
 *
 * @param uploadSlots connections served at once; the others are choked
 * @param slotRotation how often the slots rotate while anyone is connected
 * @param buckets the upload limits every chunk is taken from (the node's, shared with every hub, and the content's);
 *     thread-safe, and reserved at the hub's clock's time, which must count on the buckets' base
 * @param seedInitially serve by initial seeding: this node just shared the content and nobody else holds it yet
 */
public record HubSettings(int uploadSlots, Duration slotRotation, List<TokenBucket> buckets,
        boolean seedInitially) {
    public HubSettings {
        buckets = List.copyOf(buckets);
        if (uploadSlots < 1 || slotRotation.isNegative() || slotRotation.isZero()) {
            throw new IllegalArgumentException("slots " + uploadSlots + ", rotation " + slotRotation);
        }
    }
}
