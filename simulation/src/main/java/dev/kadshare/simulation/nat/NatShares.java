package dev.kadshare.simulation.nat;

import java.util.random.RandomGenerator;

/** What share of hosts sits behind which kind of NAT; the rest are open. */
public record NatShares(double portPreserving, double symmetric) {
    /** Every host on a public address: the other scenarios' network. */
    public static final NatShares NONE = new NatShares(0, 0);

    public NatShares {
        if (!(portPreserving >= 0 && symmetric >= 0 && portPreserving + symmetric <= 1)) {
            throw new IllegalArgumentException("NAT shares must be at least 0 and sum to at most 1, not "
                    + portPreserving + " port-preserving and " + symmetric + " symmetric");
        }
    }

    public double open() {
        return 1 - portPreserving - symmetric;
    }

    /** Draws one host's kind; draws nothing when every host is open, so such runs repeat those without NATs. */
    public NatKind draw(RandomGenerator random) {
        if (this.equals(NONE)) {
            return NatKind.OPEN;
        }
        double x = random.nextDouble();
        return x < portPreserving ? NatKind.PORT_PRESERVING : x < portPreserving + symmetric ? NatKind.SYMMETRIC : NatKind.OPEN;
    }
}
