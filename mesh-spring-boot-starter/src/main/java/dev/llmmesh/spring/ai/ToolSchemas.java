package dev.llmmesh.spring.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Spring AI tool definitions (a JSON schema string per tool) as langchain4j {@link ToolSpecification}s. Supported:
 * objects with {@code properties}, {@code required}, {@code additionalProperties}; {@code string}, {@code integer},
 * {@code number}, {@code boolean}, {@code array} ({@code items}) and {@code enum} of strings, with
 * {@code description}s, nested to any depth. A schema using anything else ({@code $ref}/{@code $defs},
 * {@code anyOf}/{@code oneOf}/{@code allOf}, several types) is refused naming the tool and the keyword, rather than
 * sent half-understood.
 */
final class ToolSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNSUPPORTED = Set.of("$ref", "$defs", "definitions", "anyOf", "oneOf", "allOf",
            "not", "if", "patternProperties");

    private ToolSchemas() {
    }

    static ToolSpecification specification(ToolDefinition tool) {
        ToolSpecification.Builder b = ToolSpecification.builder().name(tool.name());
        if (tool.description() != null && !tool.description().isBlank()) {
            b.description(tool.description());
        }
        String schema = tool.inputSchema();
        if (schema != null && !schema.isBlank()) {
            JsonNode root;
            try {
                root = JSON.readTree(schema);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("tool \"" + tool.name() + "\": its input schema is not JSON: "
                        + e.getOriginalMessage());
            }
            JsonSchemaElement element = element(root, tool.name(), "");
            if (!(element instanceof JsonObjectSchema object)) {
                throw new IllegalArgumentException("tool \"" + tool.name() + "\": the input schema must be an object");
            }
            b.parameters(object);
        }
        return b.build();
    }

    private static JsonSchemaElement element(JsonNode n, String tool, String path) {
        for (String k : UNSUPPORTED) {
            if (n.has(k)) {
                throw new IllegalArgumentException("tool \"" + tool + "\": schema keyword " + k + " at "
                        + (path.isEmpty() ? "the root" : path) + " is not supported by the mesh's Spring AI adapter");
            }
        }
        String description = n.path("description").isTextual() ? n.get("description").asText() : null;
        if (n.has("enum")) {
            List<String> values = new ArrayList<>();
            n.get("enum").forEach(v -> values.add(v.asText()));
            return JsonEnumSchema.builder().enumValues(values).description(description).build();
        }
        JsonNode type = n.get("type");
        String t = type == null ? (n.has("properties") ? "object" : null) : type.isTextual() ? type.asText() : null;
        if (t == null) {
            throw new IllegalArgumentException("tool \"" + tool + "\": " + (path.isEmpty() ? "the root" : path)
                    + " needs one \"type\" (several types, or none, are not supported)");
        }
        switch (t) {
            case "object" -> {
                JsonObjectSchema.Builder o = JsonObjectSchema.builder().description(description);
                JsonNode props = n.path("properties");
                for (Map.Entry<String, JsonNode> p : props.properties()) {
                    o.addProperty(p.getKey(), element(p.getValue(), tool, path + "." + p.getKey()));
                }
                List<String> required = new ArrayList<>();
                n.path("required").forEach(r -> required.add(r.asText()));
                if (!required.isEmpty()) {
                    o.required(required);
                }
                if (n.path("additionalProperties").isBoolean()) {
                    o.additionalProperties(n.get("additionalProperties").asBoolean());
                }
                return o.build();
            }
            case "string" -> {
                return JsonStringSchema.builder().description(description).build();
            }
            case "integer" -> {
                return JsonIntegerSchema.builder().description(description).build();
            }
            case "number" -> {
                return JsonNumberSchema.builder().description(description).build();
            }
            case "boolean" -> {
                return JsonBooleanSchema.builder().description(description).build();
            }
            case "array" -> {
                JsonArraySchema.Builder a = JsonArraySchema.builder().description(description);
                if (n.has("items")) {
                    a.items(element(n.get("items"), tool, path + "[]"));
                }
                return a.build();
            }
            default -> throw new IllegalArgumentException("tool \"" + tool + "\": type \"" + t + "\" at "
                    + (path.isEmpty() ? "the root" : path) + " is not supported");
        }
    }
}
