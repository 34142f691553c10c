package dev.kadshare.node.stream;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-transfer capability keys for players, which cannot send the API's bearer header: the key of a content id is
 * HMAC-SHA256 of it under the API token, put in the stream URL as {@code ?key=}. It lets its holder read that
 * content's bytes and nothing else; it needs no state, so it survives a restart, and replacing the token revokes
 * every key made from it.
 */
public final class StreamKeys {
    private static final String LABEL = "kadshare stream key v1 ";
    private final SecretKeySpec secret;

    /** @param apiToken the control API's token (its bytes as stored) */
    public StreamKeys(byte[] apiToken) {
        this.secret = new SecretKeySpec(apiToken.clone(), "HmacSHA256");
    }

    /** The key of {@code contentId} (64 hex digits, as in status). */
    public String keyOf(String contentId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal((LABEL + contentId).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has HmacSHA256", e);
        }
    }

    /** True when {@code given} is the key of {@code contentId} (compared in constant time). */
    public boolean opens(String contentId, String given) {
        return MessageDigest.isEqual(keyOf(contentId).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}
