package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

    @Test
    void writesNestedObjectsArraysEnumsUnionsAndReferences() throws Exception {
        JsonObjectSchema address = JsonObjectSchema.builder().addStringProperty("city").required("city")
                .additionalProperties(false).build();
        JsonObjectSchema person = JsonObjectSchema.builder()
                .description("a person")
                .addProperty("name", JsonStringSchema.builder().description("full name").build())
                .addProperty("tags", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                .addProperty("kind", JsonEnumSchema.builder().enumValues("a", "b").build())
                .addProperty("score", JsonAnyOfSchema.builder().anyOf(new JsonNumberSchema(), new JsonNullSchema())
                        .build())
                .addProperty("home", JsonReferenceSchema.builder().reference("Address").build())
                .definitions(Map.of("Address", address))
                .required("name").build();

        JsonNode json = JsonSchemas.toJson(person);

        JsonNode expected = new ObjectMapper().readTree("""
                {"type":"object","description":"a person","properties":{
                  "name":{"type":"string","description":"full name"},
                  "tags":{"type":"array","items":{"type":"string"}},
                  "kind":{"type":"string","enum":["a","b"]},
                  "score":{"anyOf":[{"type":"number"},{"type":"null"}]},
                  "home":{"$ref":"#/$defs/Address"}},
                 "required":["name"],
                 "$defs":{"Address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
                   "additionalProperties":false}}}""");
        assertThat(json).isEqualTo(expected);
    }

    @Test
    void rawSchemasPassThroughAndMustBeJsonObjects() {
        assertThat(JsonSchemas.toJson(JsonRawSchema.from("{\"type\":\"string\",\"format\":\"date\"}"))
                .path("format").asText()).isEqualTo("date");
        assertThatThrownBy(() -> JsonSchemas.toJson(JsonRawSchema.from("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
