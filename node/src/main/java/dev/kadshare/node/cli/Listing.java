package dev.kadshare.node.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts every text listing (status, peers, search) shows of one piece of content, escaped for a terminal. */
final class Listing {
    /** As many hex digits of a content id as status shows; any unambiguous prefix works as an ID. */
    static final int SHORT_ID = 16;

    private Listing() {}

    static String shortId(JsonNode content) {
        return shortId(content.path("contentId").asText());
    }

    static String shortId(String hex) {
        return hex.substring(0, Math.min(SHORT_ID, hex.length()));
    }

    /** The content's name: chosen by whoever shared it, so never printed unescaped. */
    static String name(JsonNode content) {
        return TerminalText.escape(content.path("name").asText());
    }
}
