package dev.llmmesh.intercept;

/**
 * Rewrites streamed text on its way to the caller, one call at a time. May hold text back (return less than it
 * got) until it can decide, e.g. when a placeholder may be split across chunks; {@link #flush()} returns whatever is
 * still held when the stream ends. An instance serves one call and is called from one thread at a time.
 */
public interface StreamTransformer {

    /** Text to emit now for the partial {@code text} just received; may be empty. */
    String onPartial(String text);

    /** Text still held back, emitted when the stream completes. */
    default String flush() {
        return "";
    }
}
