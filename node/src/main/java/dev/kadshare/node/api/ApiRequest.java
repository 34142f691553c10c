package dev.kadshare.node.api;

import com.sun.net.httpserver.HttpExchange;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One control request as a handler sees it: the values of its path's named segments, its query parameters
 * (URL-decoded, in any order, each at most once; others than the endpoint reads are ignored, as a cache
 * buster would be) and its JSON body.
 */
final class ApiRequest {
    private static final int MAX_BODY = 64 * 1024;

    private final HttpExchange exchange;
    private final Map<String, String> pathValues;
    private final Map<String, List<String>> query;

    private ApiRequest(HttpExchange exchange, Map<String, String> pathValues, Map<String, List<String>> query) {
        this.exchange = exchange;
        this.pathValues = pathValues;
        this.query = query;
    }

    /** Parses the query string; a malformed one, or a parameter given twice (which one would count?), is a 400. */
    static ApiRequest of(HttpExchange exchange, Map<String, String> pathValues) {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, List<String>> query;
        try {
            // '+' is a space and ';' an ordinary character, as URLEncoder (the CLI's) and browsers write them.
            query = QueryStringDecoder.builder().hasPath(false).charset(StandardCharsets.UTF_8)
                    .semicolonIsNormalChar(true).build(raw == null ? "" : raw).parameters();
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "malformed query string: " + e.getMessage());
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw new ApiError(400, "query parameter '" + parameter.getKey() + "' given more than once");
            }
        }
        return new ApiRequest(exchange, pathValues, query);
    }

    /** The value of the path's segment {@code {name}}. */
    String pathValue(String name) {
        String value = pathValues.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no segment {" + name + "}");
        }
        return value;
    }

    Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    String requiredQuery(String name) {
        return query(name).orElseThrow(() -> new ApiError(400, "missing query parameter '" + name + "'"));
    }

    /** A request header's first value. */
    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    /** {@code true} or {@code false}; absent is {@code absent}, anything else a 400. */
    boolean booleanQuery(String name, boolean absent) {
        Optional<String> value = query(name);
        if (value.isEmpty()) {
            return absent;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ApiError(400, "query parameter '" + name + "' must be true or false, not '"
                    + value.get() + "'");
        };
    }

    /** The JSON body as {@code type}; too large or malformed is a 4xx. */
    <T> T body(Class<T> type) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new ApiError(413, "request body over " + MAX_BODY + " bytes");
            }
            if (bytes.length == 0) {
                throw new ApiError(400, "missing JSON body");
            }
            return Requests.read(bytes, type); // any body it cannot read is a 400, never a dropped connection
        }
    }
}
