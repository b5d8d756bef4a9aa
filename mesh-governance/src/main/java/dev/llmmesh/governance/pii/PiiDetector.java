package dev.llmmesh.governance.pii;

import java.util.List;
import java.util.Set;

/**
 * Finds values of some {@link EntityType}s in a text. The pluggable part of PII handling: add a detector (for
 * example an NER model, or a company-specific employee id) with
 * {@link PiiScanner.Builder#add(PiiDetector)}.
 *
 * <p>Implementations must be thread-safe and fast (they run on every call, before anything is sent), must treat the
 * text purely as data (no template evaluation, no lookups), and must not log it.
 */
public interface PiiDetector {

    /** The types this detector may report. */
    Set<EntityType> types();

    /**
     * The values found in {@code text}, in any order; spans may overlap (the scanner resolves overlaps).
     * Offsets are {@code char} offsets into {@code text}.
     */
    List<PiiSpan> detect(CharSequence text);
}
