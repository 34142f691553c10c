package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The client's JSON against databind's: the same trees from the same text, the same text from the same trees. */
class JsonTreesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void readsWhatDatabindReads() throws Exception {
        List<String> documents = List.of("{}", "[]", "0", "-7", "\"x\"", "true", "false", "null", "1.5e300", "-0.0",
                "2147483648", "-9223372036854775809", "123456789012345678901234567890",
                "{\"a\":1,\"b\":[true,null,\"\\u00e9\\n\\\"q\\\"\",{\"c\":{}}],\"a\":2}",
                " [ 1 , [ [ ] ] , { \"k\" : -1.25E-3 } ] ", "{\"emoji\":\"\\ud83d\\ude00 \u00fc\"}");
        for (String json : documents) {
            assertEquals(Json.MAPPER.readTree(json), JsonTrees.read(json), json);
            assertEquals(Json.MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8)),
                    JsonTrees.read(json.getBytes(StandardCharsets.UTF_8)), json);
        }
        assertEquals(Json.MAPPER.readTree(new byte[0]), JsonTrees.read(new byte[0]), "no bytes: a missing node");
        assertTrue(JsonTrees.read("   ").isMissingNode());
    }

    @Test
    void refusesWhatIsNotExactlyOneJsonValue() {
        for (String json : List.of("{", "[1,", "{\"a\" 1}", "{\"a\":}", "1 2", "{} []", "nul", "'x'", "[1]]", "\"open")) {
            assertThrows(IOException.class, () -> JsonTrees.read(json), json);
        }
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThrows(IOException.class, () -> JsonTrees.read(deep), "nesting is bounded, never a stack overflow");
    }

    @Test
    void printsAsDatabindsPrettyPrinter() throws Exception {
        ObjectNode tree = NODES.objectNode();
        tree.put("name", "Holiday \"Video\" 2026.mp4").put("size", 4_194_304L).put("ratio", 0.25).put("ok", true).putNull("none");
        tree.put("big", new BigInteger("123456789012345678901234567890")).put("exact", new BigDecimal("1.10"));
        tree.putArray("peers").add(NODES.objectNode().put("id", "ab").put("port", 7700)).add(NODES.arrayNode()).add(-1);
        tree.putObject("empty");
        assertEquals(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree), JsonTrees.pretty(tree));
    }

    @Test
    void writesRequestsAsDatabindWritesAndReadsThem() throws Exception {
        List<Record> requests = List.of(new Requests.Get("magnet:?xt=urn:kadshare:00", "/tmp/out"),
                new Requests.Get("l", "o", "sequential"), new Requests.Share("/tmp/a \"b\".bin", null));
        for (Record request : requests) {
            byte[] body = JsonTrees.body(request);
            assertEquals(Json.MAPPER.valueToTree(request), Json.MAPPER.readTree(body), request.toString());
            assertEquals(request, Json.MAPPER.readValue(body, request.getClass()));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("link", "nope");
        fields.put("outDir", null);
        assertEquals("{\"link\":\"nope\",\"outDir\":null}", new String(JsonTrees.body(fields), StandardCharsets.UTF_8));
        assertEquals("{}", new String(JsonTrees.body(Map.of()), StandardCharsets.UTF_8));
        record Counted(String name, int count) {}
        assertThrows(IllegalArgumentException.class, () -> JsonTrees.body(new Counted("x", 1)), "only text components");
    }

    @Test
    void randomTreesSurviveBothWaysAsDatabindsDo() throws Exception {
        Random random = new Random(20261206);
        for (int i = 0; i < 300; i++) {
            JsonNode tree = randomTree(random, 4);
            String compact = Json.MAPPER.writeValueAsString(tree);
            assertEquals(Json.MAPPER.readTree(compact), JsonTrees.read(compact), compact);
            assertEquals(Json.MAPPER.readTree(compact), Json.MAPPER.readTree(JsonTrees.pretty(tree)), compact);
        }
    }

    private static JsonNode randomTree(Random random, int depth) {
        int kind = depth == 0 ? 2 + random.nextInt(6) : random.nextInt(8);
        return switch (kind) {
            case 0 -> {
                ObjectNode object = NODES.objectNode();
                for (int n = random.nextInt(4); n > 0; n--) {
                    object.set(randomText(random), randomTree(random, depth - 1));
                }
                yield object;
            }
            case 1 -> {
                ArrayNode array = NODES.arrayNode();
                for (int n = random.nextInt(4); n > 0; n--) {
                    array.add(randomTree(random, depth - 1));
                }
                yield array;
            }
            case 2 -> NODES.textNode(randomText(random));
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.numberNode(random.nextLong());
            case 5 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 6 -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.nullNode();
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            text.append((char) (random.nextBoolean() ? 0x20 + random.nextInt(0x60) : random.nextInt(0x3000)));
        }
        return text.toString();
    }
}
