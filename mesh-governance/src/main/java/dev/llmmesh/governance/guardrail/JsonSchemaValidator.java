package dev.llmmesh.governance.guardrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an answer against the langchain4j {@link JsonSchema} a request asked for ({@code responseFormat}). The
 * answer is parsed as a plain JSON tree, never bound to Java types. Covers objects (required, additionalProperties
 * false), arrays, strings, integers, numbers, booleans, enums, null, anyOf and {@code $ref} to the root's
 * definitions; raw schemas are accepted unchecked. Thread-safe.
 */
public final class JsonSchemaValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_PROBLEMS = 5;

    /** The problems found, at most five, each naming the JSON path; empty when {@code json} is valid. */
    public List<String> validate(String json, JsonSchema schema) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(schema, "schema");
        JsonNode node;
        try {
            node = MAPPER.readTree(stripFences(json));
        } catch (JsonProcessingException e) {
            return List.of("$: not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (node == null || node.isMissingNode()) {
            return List.of("$: empty answer where JSON was required");
        }
        Map<String, JsonSchemaElement> defs = new HashMap<>();
        if (schema.rootElement() instanceof JsonObjectSchema root && root.definitions() != null) {
            defs.putAll(root.definitions());
        }
        List<String> problems = new ArrayList<>();
        check(node, schema.rootElement(), "$", defs, problems, 0);
        return problems.size() > MAX_PROBLEMS ? List.copyOf(problems.subList(0, MAX_PROBLEMS)) : List.copyOf(problems);
    }

    /** Validates {@code json} as JSON of any shape (for {@code ResponseFormat.JSON} without a schema). */
    public Optional<String> validateSyntax(String json) {
        try {
            JsonNode node = MAPPER.readTree(stripFences(json));
            return node == null || node.isMissingNode() ? Optional.of("$: empty answer where JSON was required")
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.of("$: not valid JSON (line " + e.getLocation().getLineNr() + ")");
        }
    }

    private static String stripFences(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            int end = t.lastIndexOf("```");
            if (nl > 0 && end > nl) {
                return t.substring(nl + 1, end);
            }
        }
        return t;
    }

    private static void check(JsonNode n, JsonSchemaElement e, String path, Map<String, JsonSchemaElement> defs,
                              List<String> problems, int depth) {
        if (problems.size() > MAX_PROBLEMS || depth > 64) {
            return;
        }
        if (e instanceof JsonObjectSchema o) {
            if (!n.isObject()) {
                problems.add(path + ": expected an object, got " + kind(n));
                return;
            }
            if (o.definitions() != null) {
                o.definitions().forEach(defs::putIfAbsent);
            }
            Map<String, JsonSchemaElement> props = o.properties() == null ? Map.of() : o.properties();
            if (o.required() != null) {
                for (String r : o.required()) {
                    if (!n.has(r)) {
                        problems.add(path + ": missing required property \"" + r + "\"");
                    }
                }
            }
            for (Map.Entry<String, JsonNode> f : n.properties()) {
                JsonSchemaElement p = props.get(f.getKey());
                if (p != null) {
                    check(f.getValue(), p, path + "." + f.getKey(), defs, problems, depth + 1);
                } else if (Boolean.FALSE.equals(o.additionalProperties())) {
                    problems.add(path + ": unexpected property \"" + f.getKey() + "\"");
                }
            }
        } else if (e instanceof JsonArraySchema a) {
            if (!n.isArray()) {
                problems.add(path + ": expected an array, got " + kind(n));
                return;
            }
            if (a.items() != null) {
                for (int i = 0; i < n.size(); i++) {
                    check(n.get(i), a.items(), path + "[" + i + "]", defs, problems, depth + 1);
                }
            }
        } else if (e instanceof JsonStringSchema) {
            if (!n.isTextual()) {
                problems.add(path + ": expected a string, got " + kind(n));
            }
        } else if (e instanceof JsonIntegerSchema) {
            if (!(n.isIntegralNumber() || (n.isNumber() && n.decimalValue().stripTrailingZeros().scale() <= 0))) {
                problems.add(path + ": expected an integer, got " + kind(n));
            }
        } else if (e instanceof JsonNumberSchema) {
            if (!n.isNumber()) {
                problems.add(path + ": expected a number, got " + kind(n));
            }
        } else if (e instanceof JsonBooleanSchema) {
            if (!n.isBoolean()) {
                problems.add(path + ": expected a boolean, got " + kind(n));
            }
        } else if (e instanceof JsonEnumSchema en) {
            if (!n.isTextual() || en.enumValues() == null || !en.enumValues().contains(n.asText())) {
                problems.add(path + ": expected one of " + en.enumValues());
            }
        } else if (e instanceof JsonNullSchema) {
            if (!n.isNull()) {
                problems.add(path + ": expected null, got " + kind(n));
            }
        } else if (e instanceof JsonAnyOfSchema any) {
            for (JsonSchemaElement alt : any.anyOf()) {
                List<String> p = new ArrayList<>();
                check(n, alt, path, defs, p, depth + 1);
                if (p.isEmpty()) {
                    return;
                }
            }
            problems.add(path + ": matches none of the anyOf alternatives");
        } else if (e instanceof JsonReferenceSchema ref) {
            String name = ref.reference() == null ? "" : ref.reference().replaceFirst("^#/(?:\\$defs|definitions)/",
                    "");
            JsonSchemaElement target = defs.get(name);
            if (target != null) {
                check(n, target, path, defs, problems, depth + 1);
            }
        }
        // JsonRawSchema and unknown element types: accepted unchecked
    }

    private static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
