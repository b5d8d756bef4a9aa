package dev.llmmesh.rag.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.rag.ingest.SourceDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A labelled retrieval data set: documents and queries whose relevant ids are document ids. Immutable.
 *
 * @param documents the corpus
 * @param queries   the labelled queries; every relevant id names a document of the corpus
 */
public record EvalDataset(List<SourceDocument> documents, List<LabelledQuery> queries) {
    public EvalDataset {
        documents = List.copyOf(documents);
        queries = List.copyOf(queries);
        Set<String> ids = new HashSet<>();
        documents.forEach(d -> ids.add(d.id()));
        for (LabelledQuery q : queries) {
            for (String r : q.relevant()) {
                if (!ids.contains(r)) {
                    throw new IllegalArgumentException("query \"" + q.id() + "\" names relevant document \"" + r
                            + "\", which is not in the corpus");
                }
            }
        }
    }

    /**
     * Reads the anthropic-cookbook RAG evaluation format: a corpus JSON array of
     * {@code {chunk_link, chunk_heading, text}} (each entry one pre-chunked document, id and source URI
     * {@code chunk_link}, metadata {@code heading}) and a query JSON array of
     * {@code {id, question, correct_chunks[], correct_answer}}.
     *
     * @throws UncheckedIOException if a file cannot be read
     * @throws IllegalArgumentException if a file does not have that shape
     */
    public static EvalDataset readCookbook(Path corpus, Path queries) {
        ObjectMapper json = new ObjectMapper();
        List<SourceDocument> docs = new ArrayList<>();
        for (JsonNode n : read(json, corpus)) {
            String link = field(n, "chunk_link", corpus);
            docs.add(new SourceDocument(link, field(n, "text", corpus), link,
                    Map.of("heading", field(n, "chunk_heading", corpus))));
        }
        List<LabelledQuery> qs = new ArrayList<>();
        for (JsonNode n : read(json, queries)) {
            List<String> relevant = new ArrayList<>();
            JsonNode chunks = n.path("correct_chunks");
            if (!chunks.isArray()) {
                throw new IllegalArgumentException(queries + ": entry without a correct_chunks array");
            }
            chunks.forEach(c -> relevant.add(c.asText()));
            qs.add(new LabelledQuery(field(n, "id", queries), field(n, "question", queries), relevant));
        }
        return new EvalDataset(docs, qs);
    }

    private static JsonNode read(ObjectMapper json, Path file) {
        Objects.requireNonNull(file, "file");
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array");
        }
        return root;
    }

    private static String field(JsonNode n, String name, Path file) {
        JsonNode v = n.get(name);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(file + ": entry without a text field \"" + name + "\"");
        }
        return v.asText();
    }
}
