package dev.llmmesh.providers.azure;

import dev.llmmesh.providers.ForwardingLlmClient;
import dev.llmmesh.providers.internal.ProviderChatClient;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.ProviderClientBuilder;
import dev.llmmesh.providers.internal.AuthHeader;
import dev.llmmesh.providers.internal.ModelDefaults;
import dev.llmmesh.providers.internal.LangChain4jChatClient;
import dev.llmmesh.providers.internal.OpenAiModels;
import dev.llmmesh.providers.internal.UsageAccounting;
import dev.llmmesh.providers.internal.WireProtocol;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@link LlmClient} for an Azure OpenAI deployment. Azure speaks OpenAI's chat-completions protocol at
 * {@code {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…} with the key in an {@code api-key}
 * header, so this client runs on langchain4j's OpenAI models (not on {@code langchain4j-azure-open-ai}, which is built on
 * the Azure SDK's own HTTP pipeline: it cannot carry the mesh's key handling, redirect policy and error capture, and its
 * latest release lags langchain4j-core).
 *
 * <pre>{@code
 * AzureOpenAiClient azure = AzureOpenAiClient.builder("azure-gpt-4o-mini", "gpt-4o-mini")
 *     .baseUrl("https://my-resource.openai.azure.com")
 *     .deployment("prod-gpt-4o-mini")          // default: the model name
 *     .apiKey(Secret.env("AZURE_OPENAI_API_KEY"))
 *     .build();
 * }</pre>
 *
 * <p>The descriptor's model name is the <em>model</em> (what the price table knows, e.g. {@code gpt-4o-mini}); the
 * deployment name is only part of the URL. {@link #API_VERSION_V1} selects Azure's version-less v1 API
 * ({@code {endpoint}/openai/v1/chat/completions}, model in the body).
 *
 * <p>Azure differences, all handled: streams open with a chunk with {@code choices: []} and
 * {@code prompt_filter_results}; content chunks carry {@code content_filter_results}; a content-filtered answer has
 * finish reason {@code content_filter} and may have no {@code message} at all (returned as an empty answer with finish
 * reason {@code CONTENT_FILTER} and its usage); rate-limit reset headers carry no unit. Errors and everything else
 * behave as in {@link dev.llmmesh.providers.openai.OpenAiClient}.
 *
 * <p>Thread-safe; owns a daemon thread pool for HTTP I/O, released by {@link #close()}.
 */
public final class AzureOpenAiClient extends ForwardingLlmClient {
    /** The api-version sent when none is configured: the current GA version of the data-plane API. */
    public static final String DEFAULT_API_VERSION = "2024-10-21";
    /** Selects Azure's v1 API, which takes no api-version and the model in the body. */
    public static final String API_VERSION_V1 = "v1";
    private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");
    private static final Pattern API_VERSION = Pattern.compile("v1|\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private final String deployment;
    private final String apiVersion;

    private final ProviderChatClient delegate;

    private AzureOpenAiClient(ProviderClientBuilder.Settings s, String deployment, String apiVersion) {
        this.delegate = LangChain4jChatClient.create("AzureOpenAiClient", s, WireProtocol.OPENAI, UsageAccounting.AS_REPORTED, executor -> {
            boolean v1 = apiVersion.equals(API_VERSION_V1);
            URI base = URI.create(s.baseUrl() + (v1 ? "/openai/v1" : "/openai/deployments/" + deployment));
            return OpenAiModels.create(v1 ? deployment : s.descriptor().modelName(), base, s.apiKey(),
                    AuthHeader.API_KEY, v1 ? Map.of() : Map.of("api-version", apiVersion), executor, s.timeout(),
                    s.logRequests(), s.logResponses()).toChatModels();
        }, this::location);
        this.deployment = deployment;
        this.apiVersion = apiVersion;
    }

    /**
     * A builder for a client presenting {@code descriptor} (provider {@code azure}); without a price in it, the
     * built-in table's {@code azure} price applies.
     */
    public static Builder builder(ModelDescriptor descriptor) {
        return new Builder(ModelDefaults.withTablePricing(Objects.requireNonNull(descriptor, "descriptor")));
    }

    /**
     * A builder for deployment {@code id} of model {@code modelName} on Azure (provider {@code azure}), with the
     * built-in table's facts for Azure's {@code modelName} when listed. Set {@link Builder#baseUrl(URI)}.
     *
     * @throws IllegalArgumentException if {@code id} or {@code modelName} is blank
     */
    public static Builder builder(String id, String modelName) {
        return new Builder(ModelDefaults.forModel(id, "azure", modelName,
                EnumSet.of(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)));
    }

    /** The resource endpoint, e.g. {@code https://my-resource.openai.azure.com}. */
    public URI endpoint() {
        return delegate.configuredBaseUrl();
    }

    /** The deployment name in the URL. */
    public String deployment() {
        return deployment;
    }

    /** The api-version query parameter, or {@link #API_VERSION_V1}. */
    public String apiVersion() {
        return apiVersion;
    }

    private String location() {
        return "endpoint=" + delegate.configuredBaseUrl() + ", deployment=" + deployment + ", apiVersion=" + apiVersion;
    }

    @Override
    protected LlmClient delegate() {
        return delegate;
    }

    /**
     * Builds an {@link AzureOpenAiClient}; see {@link ProviderClientBuilder} for the shared settings. The base URL (the
     * resource endpoint) is required. Defaults: deployment = the model name, api-version {@link #DEFAULT_API_VERSION}.
     * Not thread-safe.
     */
    public static final class Builder extends ProviderClientBuilder<Builder> {
        private String deployment;
        private String apiVersion = DEFAULT_API_VERSION;

        private Builder(ModelDescriptor descriptor) {
            super(descriptor, null);
            this.deployment = descriptor.modelName();
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The deployment name, as created in the Azure portal.
         *
         * @throws IllegalArgumentException if it is not 1-64 letters, digits, {@code .}, {@code _} or {@code -}
         */
        public Builder deployment(String deployment) {
            Objects.requireNonNull(deployment, "deployment");
            if (!DEPLOYMENT.matcher(deployment).matches()) {
                throw new IllegalArgumentException("deployment must be 1-64 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit");
            }
            this.deployment = deployment;
            return this;
        }

        /**
         * The data-plane api-version, e.g. {@code 2024-10-21} or {@code 2025-04-01-preview}, or {@code v1}.
         *
         * @throws IllegalArgumentException if it is not {@code YYYY-MM-DD}, {@code YYYY-MM-DD-preview} or {@code v1}
         */
        public Builder apiVersion(String apiVersion) {
            Objects.requireNonNull(apiVersion, "apiVersion");
            if (!API_VERSION.matcher(apiVersion).matches()) {
                throw new IllegalArgumentException("apiVersion must look like 2024-10-21, 2025-04-01-preview or v1");
            }
            this.apiVersion = apiVersion;
            return this;
        }

        /**
         * @throws IllegalStateException if no base URL (the resource endpoint) was set
         */
        public AzureOpenAiClient build() {
            dev.llmmesh.providers.internal.Sdk.requireOpenAi("azure");
            return new AzureOpenAiClient(settings(), deployment, apiVersion);
        }
    }
}
