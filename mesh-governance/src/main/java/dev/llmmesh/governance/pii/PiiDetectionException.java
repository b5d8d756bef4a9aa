package dev.llmmesh.governance.pii;

/**
 * A {@link PiiDetector} could not scan a text (for example an external analyzer is down or answered garbage) and
 * fails closed, so the text is not sent on unscanned. The message names the detector and the reason, never the text.
 */
public final class PiiDetectionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}, which must not contain the scanned text. */
    public PiiDetectionException(String message) {
        super(message);
    }
}
