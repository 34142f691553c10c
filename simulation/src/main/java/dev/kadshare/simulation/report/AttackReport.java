package dev.kadshare.simulation.report;

/**
 * The outcome of an attack run, per attack: the eclipse (GET_PEERS for target keys against lying, store-dropping
 * adversaries), the flood (honest keyword records under a flood of records and announcements from a few IPs, and the
 * share of the honest nodes' stores the attackers hold), the spoof (bytes the honest nodes sent to a spoofed address
 * per byte received "from" it).
 */
public record AttackReport(String mode, int nodes, int joined, long seed, double adversaryFraction, int adversaries,
                           String idRule, Eclipse eclipse, Flood flood, Spoof spoof, Cost cost) implements Report {
    /** GET_PEERS lookups for target keys: how many found an honest announcer, with hops and RPCs. */
    public record Eclipse(int targetKeys, int lookups, double successRate, Summary hops, Summary rpcsPerLookup,
                          long lookupsBounded) {
    }

    /** Keyword searches whose honest record survived {@code flooders}' flood; the attackers' share of stored entries. */
    public record Flood(int flooders, int keywordKeys, int searches, double recordSuccessRate, double attackerStoreShare,
                        long refusedStores, long evicted) {
    }

    /** Spoofed requests from one address, and the bytes out per byte in towards it. */
    public record Spoof(int datagrams, long bytesIn, long bytesOut, double amplification) {
    }

    @Override
    public String scenario() {
        return "attack";
    }
}
