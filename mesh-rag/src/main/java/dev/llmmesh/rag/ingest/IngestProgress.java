package dev.llmmesh.rag.ingest;

/**
 * How far a batch ingestion has come.
 *
 * @param documentsDone  documents processed so far (stored, replaced or skipped as unchanged)
 * @param documentsTotal documents in the batch
 * @param chunksWritten  chunks embedded and stored so far
 */
public record IngestProgress(int documentsDone, int documentsTotal, int chunksWritten) {
    public IngestProgress {
        if (documentsDone < 0 || documentsTotal < documentsDone || chunksWritten < 0) {
            throw new IllegalArgumentException("inconsistent progress " + documentsDone + "/" + documentsTotal
                    + ", chunks " + chunksWritten);
        }
    }

    /** The fraction done, from 0 to 1 (1 for an empty batch). */
    public double fraction() {
        return documentsTotal == 0 ? 1.0 : (double) documentsDone / documentsTotal;
    }
}
