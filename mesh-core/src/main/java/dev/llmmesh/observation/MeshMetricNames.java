package dev.llmmesh.observation;

/**
 * Every meter, observation and attribute name the mesh emits, in one place. Meter names follow the current
 * OpenTelemetry GenAI semantic conventions ({@code semantic-conventions-genai}: {@code gen_ai.client.inference.*});
 * mesh-specific ones use the {@code mesh.} prefix. The names of the older conventions ({@link #OPERATION_DURATION},
 * {@link #TOKEN_USAGE}, {@link #TIME_TO_FIRST_CHUNK}) are emitted as well only when asked for, for one release:
 * {@code MeshBuilder.legacyGenAiMetrics(true)} or {@code observability.legacyGenAiMetrics: true}, unless the
 * environment sets {@code OTEL_SEMCONV_STABILITY_OPT_IN} to a list naming {@code gen_ai_latest_experimental}, which
 * OpenTelemetry defines as "the latest names only". Every model meter carries {@link #MESH_MODEL}, the deployment
 * id, so two deployments of one model name stay two series.
 */
public final class MeshMetricNames {
    private MeshMetricNames() {
    }

    // meters (OpenTelemetry GenAI, current names)
    /** Timer, seconds: one sample per provider attempt. */
    public static final String INFERENCE_DURATION = "gen_ai.client.inference.duration";
    /** Timer, seconds: time from the start of a streamed attempt to its first content chunk. */
    public static final String INFERENCE_TIME_TO_FIRST_CHUNK = "gen_ai.client.inference.time_to_first_chunk";
    /** Timer, seconds: time between successive content chunks of a stream, after the first. */
    public static final String INFERENCE_TIME_PER_OUTPUT_CHUNK = "gen_ai.client.inference.time_per_output_chunk";
    /** Counter, tokens: input tokens of successful attempts. */
    public static final String USAGE_INPUT_TOKENS_COUNTER = "gen_ai.client.inference.usage.input_tokens";
    /** Counter, tokens: output tokens of successful attempts. */
    public static final String USAGE_OUTPUT_TOKENS_COUNTER = "gen_ai.client.inference.usage.output_tokens";
    /** Counter, tokens: input tokens read from the provider's prompt cache. */
    public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.client.inference.usage.cache_read.input_tokens";
    /** Counter, tokens: input tokens written to the provider's prompt cache. */
    public static final String USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.client.inference.usage.cache_write.input_tokens";
    /** Counter, tokens: output tokens spent on reasoning. */
    public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.client.inference.usage.reasoning.output_tokens";

    // meters (OpenTelemetry GenAI, names before the move to semantic-conventions-genai; legacy switch only)
    /** Timer, seconds: one sample per provider attempt. Emitted only with the legacy switch. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Distribution summary, tokens: one sample per token type per successful attempt. Legacy switch only. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Timer, seconds: time to the first streamed chunk. Legacy switch only. */
    public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
    /** Timer, seconds: time between streamed chunks. Legacy switch only. */
    public static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
    /** The environment variable OpenTelemetry reads to opt in to the latest experimental names. */
    public static final String SEMCONV_OPT_IN_ENV = "OTEL_SEMCONV_STABILITY_OPT_IN";
    /** The value of {@link #SEMCONV_OPT_IN_ENV} that turns the legacy names off whatever the mesh's switch says. */
    public static final String GEN_AI_LATEST_EXPERIMENTAL = "gen_ai_latest_experimental";

    /**
     * Whether legacy names are emitted: {@code requested} (the mesh's switch), unless {@code optIn} (the value of
     * {@link #SEMCONV_OPT_IN_ENV}, comma-separated) names {@link #GEN_AI_LATEST_EXPERIMENTAL}.
     */
    public static boolean legacyNamesEmitted(boolean requested, @org.jspecify.annotations.Nullable String optIn) {
        if (!requested) {
            return false;
        }
        if (optIn != null) {
            for (String v : optIn.split(",")) {
                if (v.trim().equals(GEN_AI_LATEST_EXPERIMENTAL)) {
                    return false;
                }
            }
        }
        return true;
    }

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
