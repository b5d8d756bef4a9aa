package dev.llmmesh.rag.ingest;

/**
 * What one ingestion did.
 *
 * @param added     documents that were not stored before
 * @param replaced  documents whose content changed; their old chunks are gone
 * @param unchanged documents skipped because their content hash matched the stored one
 * @param chunks    chunks embedded and written
 */
public record IngestReport(int added, int replaced, int unchanged, int chunks) {
    public IngestReport {
        if (added < 0 || replaced < 0 || unchanged < 0 || chunks < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** Documents looked at. */
    public int documents() {
        return added + replaced + unchanged;
    }
}
