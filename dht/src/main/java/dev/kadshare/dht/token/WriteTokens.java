package dev.kadshare.dht.token;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks write tokens: HMAC-SHA-256(secret, requester IP). The secret rotates every
 * {@code rotation}; tokens under the previous secret stay valid, so a token lives between one and two
 * rotation periods. Rotation is computed from the clock on use, so it needs no timer.
 */
public final class WriteTokens {
    public static final Duration DEFAULT_ROTATION = Duration.ofMinutes(5);
    private static final String ALGORITHM = "HmacSHA256";

    private final InstantSource clock;
    private final RandomGenerator random;
    private final Duration rotation;
    private final Mac mac;
    private byte[] current;
    private byte[] previous;
    private Instant currentSince;

    public WriteTokens(InstantSource clock, RandomGenerator random, Duration rotation) {
        this.clock = clock;
        this.random = random;
        this.rotation = rotation;
        try {
            this.mac = Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime ships " + ALGORITHM, e);
        }
        this.current = freshSecret();
        this.previous = freshSecret();
        this.currentSince = clock.instant();
    }

    public WriteToken issue(InetAddress requester) {
        rotateIfDue();
        return WriteToken.of(hmac(current, requester));
    }

    public boolean isValid(WriteToken token, InetAddress requester) {
        rotateIfDue();
        return token.matches(WriteToken.of(hmac(current, requester)))
                || token.matches(WriteToken.of(hmac(previous, requester)));
    }

    private void rotateIfDue() {
        Instant present = clock.instant();
        long periods = Duration.between(currentSince, present).toMillis() / rotation.toMillis();
        if (periods <= 0) {
            return;
        }
        // After two or more periods both secrets are stale; after exactly one the current becomes previous.
        previous = periods == 1 ? current : freshSecret();
        current = freshSecret();
        currentSince = currentSince.plus(rotation.multipliedBy(periods));
    }

    private byte[] freshSecret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }

    private byte[] hmac(byte[] secret, InetAddress requester) {
        try {
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a 32-byte HMAC key is always valid", e);
        }
        return mac.doFinal(requester.getAddress());
    }
}
