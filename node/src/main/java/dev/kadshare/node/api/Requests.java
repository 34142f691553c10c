package dev.kadshare.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/** Bodies the control API accepts. */
public final class Requests {
    private Requests() {}

    /**
     * Reads a request body of {@code type}; an {@link ApiError} 400 if it is not one. Besides bad JSON that
     * covers bytes in no Unicode encoding: Jackson guesses UTF-16 or UTF-32 from zero bytes and then fails with
     * a CharConversionException, which is no JsonProcessingException (found by RequestsFuzzTest).
     */
    public static <T> T read(byte[] body, Class<T> type) {
        try {
            return Json.MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "malformed JSON body: " + e.getMessage());
        }
    }

    /** POST /v1/shares */
    public record Share(String path, String name) {}

    /** POST /v1/transfers; {@code order} is {@code rarest-first} (null: the default) or {@code sequential}. */
    public record Get(String link, String outDir, String order) {
        public Get(String link, String outDir) {
            this(link, outDir, null);
        }
    }
}
