package dev.llmmesh.providers;

import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the built-in {@link PriceTable} knows about one model of one provider.
 *
 * @param provider             the mesh's provider name: {@code openai}, {@code azure}, {@code anthropic},
 *                             {@code gemini}, {@code mistral} or {@code ollama}
 * @param model                the provider's model name, e.g. {@code gpt-4o-mini}
 * @param pricing              USD per million input, output, cached-input and reasoning tokens; empty when the source
 *                             lists no price (the cost is then unknown, never zero)
 * @param cacheWritePerMillion USD per million input tokens written to the prompt cache (Anthropic), when listed; the
 *                             mesh's {@link Pricing} has no place for it yet, so such tokens are charged at the input
 *                             price
 * @param contextWindow        the most input tokens the model accepts (the source's {@code max_input_tokens})
 * @param maxOutputTokens      the most output tokens per call, at most {@code contextWindow}
 * @param capabilities         what the source says the model supports; always {@code chat} and {@code streaming}
 */
public record ModelFacts(String provider, String model, Optional<Pricing> pricing,
                         Optional<BigDecimal> cacheWritePerMillion, int contextWindow, int maxOutputTokens,
                         Set<Capability> capabilities) {

    public ModelFacts {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(cacheWritePerMillion, "cacheWritePerMillion");
        if (contextWindow < 1 || maxOutputTokens < 1 || maxOutputTokens > contextWindow) {
            throw new IllegalArgumentException(provider + "/" + model + ": need 1 <= maxOutputTokens ("
                    + maxOutputTokens + ") <= contextWindow (" + contextWindow + ")");
        }
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /**
     * A descriptor builder for deployment {@code id} of this model, with these facts: capabilities, context window,
     * maximum output and (when listed) pricing. Set anything else, or override these, on the builder.
     */
    public ModelDescriptor.Builder describe(String id) {
        ModelDescriptor.Builder b = ModelDescriptor.builder(id, provider, model)
                .capabilities(capabilities)
                .contextWindow(contextWindow)
                .maxOutputTokens(maxOutputTokens);
        pricing.ifPresent(b::pricing);
        return b;
    }
}
