package dev.llmmesh.observation;

/**
 * Every meter, observation and attribute name the mesh emits, in one place. Names follow the OpenTelemetry GenAI
 * semantic conventions (v1.41.0, status Development); mesh-specific ones use the {@code mesh.} prefix.
 */
public final class MeshMetricNames {
    private MeshMetricNames() {
    }

    // meters (OpenTelemetry GenAI)
    /** Timer, seconds: one sample per provider attempt. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Distribution summary, tokens: one sample per token type per successful attempt. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Timer, seconds: time to the first streamed chunk. */
    public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

    // meters (mesh)
    /** Counter: routing outcomes per requested/selected model. */
    public static final String ROUTER_DECISIONS = "mesh.router.decisions";
    /** Counter, USD: cost per provider and model. */
    public static final String CLIENT_COST = "mesh.client.cost";
    /** Counter: retries refused because the mesh-wide retry budget was used up. */
    public static final String RETRY_BUDGET_EXHAUSTED = "mesh.router.retry_budget_exhausted";
    /** Counter: hedges started. */
    public static final String HEDGES = "mesh.router.hedges";
    /** Gauge 0–1: a model's recent success rate. */
    public static final String MODEL_HEALTH = "mesh.model.health";

    // observations (spans)
    /** The observation around one logical call. */
    public static final String CALL_OBSERVATION = "mesh.call";
    /** The observation around one provider attempt; its contextual name is {@code chat {model}}. */
    public static final String ATTEMPT_OBSERVATION = "gen_ai.client.operation";

    // attribute keys
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String RESPONSE_MODEL = "gen_ai.response.model";
    public static final String TOKEN_TYPE = "gen_ai.token.type";
    public static final String ERROR_TYPE = "error.type";
    public static final String RESPONSE_ID = "gen_ai.response.id";
    public static final String FINISH_REASONS = "gen_ai.response.finish_reasons";
    public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String ROUTER_OUTCOME = "mesh.router.outcome";
    public static final String MESH_MODEL = "mesh.model";
    public static final String MESH_REQUEST_ID = "mesh.request.id";
    public static final String MESH_ATTEMPT = "mesh.attempt";

    // values
    public static final String OPERATION_CHAT = "chat";
    public static final String TOKEN_INPUT = "input";
    public static final String TOKEN_OUTPUT = "output";
    public static final String OUTCOME_SELECTED = "selected";
    public static final String OUTCOME_FALLBACK = "fallback";
    public static final String OUTCOME_EXHAUSTED = "exhausted";
    public static final String OUTCOME_SHORT_CIRCUIT = "short_circuit";
    /** {@code error.type} for failures outside the mesh's hierarchy. */
    public static final String ERROR_OTHER = "_OTHER";

    /**
     * The OpenTelemetry {@code gen_ai.provider.name} for a provider as the mesh names it in {@code mesh.yaml}
     * ({@code azure} → {@code azure.ai.openai}, {@code gemini} → {@code gcp.gemini}, {@code mistral} →
     * {@code mistral_ai}, {@code bedrock} → {@code aws.bedrock}, {@code vertex} → {@code gcp.vertex_ai},
     * {@code xai} → {@code x_ai}); names that already follow the conventions pass through.
     */
    public static String otelProviderName(String provider) {
        return switch (provider) {
            case "azure", "azure-openai", "azure_openai" -> "azure.ai.openai";
            case "gemini", "google", "google-ai-gemini" -> "gcp.gemini";
            case "vertex", "vertex-ai", "vertex_ai" -> "gcp.vertex_ai";
            case "mistral", "mistral-ai" -> "mistral_ai";
            case "bedrock", "aws-bedrock" -> "aws.bedrock";
            case "xai", "x-ai", "grok" -> "x_ai";
            default -> provider;
        };
    }
}
