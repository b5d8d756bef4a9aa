package dev.llmmesh.rag.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every chunk of one version of one document, with their embeddings: what a store writes in one step, replacing any
 * earlier version of the document. Immutable (the vectors are copied in and never handed out).
 *
 * @param knowledgeBase the knowledge base
 * @param documentId    the document id
 * @param contentHash   the hash of this version of the document
 * @param chunks        its chunks, in document order; all with this knowledge base, document id and hash
 * @param vectors       one embedding per chunk, same order; all of the same dimension
 */
public record DocumentChunks(String knowledgeBase, String documentId, String contentHash, List<Chunk> chunks,
                             List<float[]> vectors) {
    public DocumentChunks {
        Objects.requireNonNull(knowledgeBase, "knowledgeBase");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(contentHash, "contentHash");
        chunks = List.copyOf(chunks);
        if (vectors.size() != chunks.size()) {
            throw new IllegalArgumentException("document \"" + documentId + "\" has " + chunks.size()
                    + " chunks but " + vectors.size() + " vectors; give one vector per chunk");
        }
        List<float[]> copies = new ArrayList<>(vectors.size());
        int dim = -1;
        for (float[] v : vectors) {
            Objects.requireNonNull(v, "vector");
            if (dim >= 0 && v.length != dim) {
                throw new IllegalArgumentException("document \"" + documentId + "\" mixes vector dimensions "
                        + dim + " and " + v.length + "; embed all chunks with one model");
            }
            dim = v.length;
            copies.add(v.clone());
        }
        vectors = List.copyOf(copies);
        for (Chunk c : chunks) {
            if (!c.knowledgeBase().equals(knowledgeBase) || !c.documentId().equals(documentId)
                    || !c.contentHash().equals(contentHash)) {
                throw new IllegalArgumentException("chunk \"" + c.id() + "\" does not belong to document \""
                        + documentId + "\" version " + contentHash + " in knowledge base \"" + knowledgeBase + "\"");
            }
        }
    }

    /** Copies of the vectors, so this record stays immutable. */
    @Override
    public List<float[]> vectors() {
        List<float[]> out = new ArrayList<>(vectors.size());
        vectors.forEach(v -> out.add(v.clone()));
        return out;
    }

    /** The vector of the {@code i}-th chunk (a copy). */
    public float[] vector(int i) {
        return vectors.get(i).clone();
    }
}
