package dev.llmmesh.providers.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One recorded exchange of {@code $MESH_FIXTURES}: the response body file, its {@code .meta.json} (status, headers,
 * request) when there is one, and which client dialect it belongs to. Files are read from the fixtures folder at test
 * time; nothing is copied into the repository.
 *
 * <p>Three vendor-documentation fixtures have no {@code .meta.json}; their status is taken from the body: an error
 * object's numeric {@code code} (Gemini's 429 with RetryInfo), 500 for Ollama's {@code {"error":...}} example (the docs
 * list 400/404/429/500/502 and call it a generation failure), 200 otherwise.
 *
 * @param name      the path below {@code MESH_FIXTURES} without {@code .body.<ext>}, e.g. {@code openai/chat-stream-text}
 * @param body      the response body, as recorded
 * @param extension {@code json}, {@code sse} or {@code ndjson}
 * @param dialect   which client reads it
 * @param status    the HTTP status
 * @param headers   the recorded response headers worth replaying (framing headers dropped: WireMock computes them)
 * @param request   the recorded request body, when the meta has one
 */
record Fixture(String name, String body, String extension, Dialect dialect, int status,
               Map<String, List<String>> headers, Optional<JsonNode> request) {

    /** The client family a fixture belongs to, by folder. */
    enum Dialect { OPENAI, AZURE, MISTRAL, ANTHROPIC, GEMINI, OLLAMA }

    private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding", "content-encoding",
            "connection", "content-type", "keep-alive");

    boolean streaming() {
        return !extension.equals("json");
    }

    boolean embedding() {
        return name.contains("embed");
    }

    boolean failed() {
        return status >= 400;
    }

    String contentType() {
        return switch (extension) {
            case "sse" -> "text/event-stream; charset=utf-8";
            case "ndjson" -> "application/x-ndjson";
            default -> "application/json";
        };
    }

    /** The model the recorded request named, if any. */
    Optional<String> model() {
        return request.map(r -> r.path("model").asText("")).filter(m -> !m.isBlank());
    }

    /**
     * Every body file in the provider folders below {@code root} (openai with its azure and mistral subfolders,
     * anthropic, gemini, ollama; the folder reserved for acceptance measurement is never walked), sorted by name.
     */
    static List<Fixture> load(Path root) {
        List<Fixture> out = new ArrayList<>();
        for (String folder : List.of("openai", "anthropic", "gemini", "ollama")) {
            try (Stream<Path> files = Files.walk(root.resolve(folder))) {
                files.filter(p -> p.getFileName().toString().matches(".+\\.body\\.(json|sse|ndjson)"))
                        .sorted()
                        .forEach(p -> out.add(of(root, p)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list fixtures in " + root.resolve(folder), e);
            }
        }
        return out;
    }

    private static Fixture of(Path root, Path bodyFile) {
        String relative = root.relativize(bodyFile).toString().replace('\\', '/');
        int cut = relative.lastIndexOf(".body.");
        String name = relative.substring(0, cut);
        String extension = relative.substring(cut + ".body.".length());
        Dialect dialect = name.startsWith("openai/azure/") ? Dialect.AZURE
                : name.startsWith("openai/mistral/") ? Dialect.MISTRAL
                : name.startsWith("openai/") ? Dialect.OPENAI
                : name.startsWith("anthropic/") ? Dialect.ANTHROPIC
                : name.startsWith("gemini/") ? Dialect.GEMINI : Dialect.OLLAMA;
        try {
            String body = Files.readString(bodyFile, StandardCharsets.UTF_8);
            Path metaFile = bodyFile.resolveSibling(bodyFile.getFileName().toString()
                    .replaceFirst("\\.body\\.[a-z]+$", ".meta.json"));
            Map<String, List<String>> headers = new LinkedHashMap<>();
            Optional<JsonNode> request = Optional.empty();
            int status;
            if (Files.exists(metaFile)) {
                JsonNode meta = FixtureExpectations.json(Files.readString(metaFile, StandardCharsets.UTF_8));
                status = meta.path("response").path("status").asInt();
                meta.path("response").path("headers").properties().forEach(h -> {
                    if (!FRAMING.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        List<String> values = new ArrayList<>();
                        h.getValue().forEach(v -> values.add(v.asText()));
                        headers.put(h.getKey(), values);
                    }
                });
                JsonNode requestBody = meta.path("request").path("body");
                request = requestBody.isObject() ? Optional.of(requestBody) : Optional.empty();
            } else {
                status = statusFromBody(extension, body);
            }
            return new Fixture(name, body, extension, dialect, status, headers, request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + bodyFile, e);
        }
    }

    private static int statusFromBody(String extension, String body) {
        if (!extension.equals("json")) {
            return 200;
        }
        JsonNode root = FixtureExpectations.json(body);
        JsonNode error = root.path("error");
        if (error.path("code").isInt()) {
            return error.path("code").asInt();
        }
        return root.has("error") ? 500 : 200;
    }

    @Override
    public String toString() {
        return name + "." + extension + " (HTTP " + status + ")";
    }
}
