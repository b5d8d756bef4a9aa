package dev.llmmesh.rag;

/**
 * The {@link dev.llmmesh.CallContext#attributes() call attributes} the RAG interceptor reads, for per-call
 * configuration:
 * <pre>{@code
 * CallContext ctx = CallContext.builder().team("payments")
 *     .attribute(RagAttributes.KNOWLEDGE_BASES, "payments-handbook")
 *     .attribute(RagAttributes.TOP_K, "3")
 *     .attribute(RagAttributes.FILTER_PREFIX + "lang", "en")
 *     .build();
 * }</pre>
 */
public final class RagAttributes {
    /** Comma-separated knowledge base ids to ground this call in, instead of the team's or the mesh's defaults. */
    public static final String KNOWLEDGE_BASES = "rag.knowledgeBases";
    /** How many chunks to inject (1 to 50), instead of the plugin's default. */
    public static final String TOP_K = "rag.topK";
    /** {@code false} turns retrieval off for this call. */
    public static final String ENABLED = "rag.enabled";
    /**
     * Prefix of a metadata filter: {@code rag.filter.<key>=<value>} keeps only chunks whose metadata {@code key}
     * equals {@code value}. The key must be allow-listed by every knowledge base searched.
     */
    public static final String FILTER_PREFIX = "rag.filter.";

    private RagAttributes() {
    }
}
