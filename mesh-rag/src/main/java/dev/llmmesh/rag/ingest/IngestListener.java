package dev.llmmesh.rag.ingest;

/**
 * Hears how a batch ingestion progresses. Called on the ingesting thread after each group of documents is stored;
 * keep it fast. An exception thrown here stops the ingestion (documents stored so far stay stored).
 */
@FunctionalInterface
public interface IngestListener {
    /** Does nothing. */
    IngestListener NONE = p -> { };

    /** Called after each stored group of documents; the last call has every document done. */
    void onProgress(IngestProgress progress);
}
