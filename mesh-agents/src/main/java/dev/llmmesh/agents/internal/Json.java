package dev.llmmesh.agents.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON helpers: parsing model output into trees (never into arbitrary types: no polymorphic typing, so user content
 * stays data) and pretty printing.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /**
     * Parses a JSON object, tolerating a Markdown code fence around it (models add them).
     *
     * @throws IllegalArgumentException if {@code text} is not a JSON object
     */
    public static JsonNode parseObject(String text) {
        String t = stripFence(text);
        JsonNode node;
        try {
            node = MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return node;
    }

    /** {@code node} as indented JSON. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        return MAPPER.getNodeFactory().textNode(s).toString();
    }

    static String stripFence(String text) {
        String t = text.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            int end = t.lastIndexOf("```");
            if (nl > 0 && end > nl) {
                return t.substring(nl + 1, end).strip();
            }
        }
        return t;
    }
}
