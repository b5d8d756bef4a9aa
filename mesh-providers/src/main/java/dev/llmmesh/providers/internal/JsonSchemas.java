package dev.llmmesh.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes langchain4j's {@link JsonSchemaElement}s as JSON Schema (draft 2020-12 keywords, definitions under
 * {@code $defs}), for wire protocols the mesh speaks itself. Stateless and thread-safe.
 */
public final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {
    }

    /**
     * The schema as a JSON object.
     *
     * @throws IllegalArgumentException for a raw schema that is not JSON, or an unknown element type
     */
    public static ObjectNode toJson(JsonSchemaElement element) {
        ObjectNode node = JSON.createObjectNode();
        if (element instanceof JsonObjectSchema o) {
            node.put("type", "object");
            description(node, o.description());
            ObjectNode properties = node.putObject("properties");
            if (o.properties() != null) {
                o.properties().forEach((name, p) -> properties.set(name, toJson(p)));
            }
            if (o.required() != null && !o.required().isEmpty()) {
                ArrayNode required = node.putArray("required");
                o.required().forEach(required::add);
            }
            if (o.additionalProperties() != null) {
                node.put("additionalProperties", o.additionalProperties());
            }
            Map<String, JsonSchemaElement> defs = o.definitions();
            if (defs != null && !defs.isEmpty()) {
                ObjectNode d = node.putObject("$defs");
                defs.forEach((name, def) -> d.set(name, toJson(def)));
            }
        } else if (element instanceof JsonStringSchema s) {
            node.put("type", "string");
            description(node, s.description());
        } else if (element instanceof JsonIntegerSchema i) {
            node.put("type", "integer");
            description(node, i.description());
        } else if (element instanceof JsonNumberSchema n) {
            node.put("type", "number");
            description(node, n.description());
        } else if (element instanceof JsonBooleanSchema b) {
            node.put("type", "boolean");
            description(node, b.description());
        } else if (element instanceof JsonEnumSchema e) {
            node.put("type", "string");
            description(node, e.description());
            ArrayNode values = node.putArray("enum");
            e.enumValues().forEach(values::add);
        } else if (element instanceof JsonArraySchema a) {
            node.put("type", "array");
            description(node, a.description());
            if (a.items() != null) {
                node.set("items", toJson(a.items()));
            }
        } else if (element instanceof JsonAnyOfSchema any) {
            description(node, any.description());
            ArrayNode options = node.putArray("anyOf");
            any.anyOf().forEach(option -> options.add(toJson(option)));
        } else if (element instanceof JsonReferenceSchema r) {
            node.put("$ref", "#/$defs/" + r.reference());
            description(node, r.description());
        } else if (element instanceof JsonNullSchema) {
            node.put("type", "null");
        } else if (element instanceof JsonRawSchema raw) {
            try {
                JsonNode parsed = JSON.readTree(raw.schema());
                if (!(parsed instanceof ObjectNode o)) {
                    throw new IllegalArgumentException("a raw JSON schema must be a JSON object");
                }
                return o;
            } catch (IOException e) {
                throw new IllegalArgumentException("a raw JSON schema is not valid JSON");
            }
        } else {
            throw new IllegalArgumentException("unsupported JSON schema element " + element.getClass().getName());
        }
        return node;
    }

    private static void description(ObjectNode node, @Nullable String description) {
        if (description != null && !description.isBlank()) {
            node.put("description", description);
        }
    }
}
