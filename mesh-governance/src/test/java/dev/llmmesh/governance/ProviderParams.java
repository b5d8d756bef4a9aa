package dev.llmmesh.governance;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Map;

/**
 * Provider-specific request parameters shaped like langchain4j's {@code OpenAiChatRequestParameters}: log
 * probabilities, a logit bias and a seed on top of the portable ones (public, as provider classes are).
 */
public class ProviderParams extends DefaultChatRequestParameters {
    private final Boolean logprobs;
    private final Map<String, Integer> logitBias;
    private final Integer seed;

    protected ProviderParams(Builder b) {
        super(b);
        this.logprobs = b.logprobs;
        this.logitBias = b.logitBias;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Boolean logprobs() {
        return logprobs;
    }

    public Map<String, Integer> logitBias() {
        return logitBias;
    }

    public Integer seed() {
        return seed;
    }

    @Override
    public ChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    /** Builds {@link ProviderParams}. */
    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
        private Boolean logprobs;
        private Map<String, Integer> logitBias;
        private Integer seed;

        @Override
        public Builder overrideWith(ChatRequestParameters p) {
            super.overrideWith(p);
            if (p instanceof ProviderParams pp) {
                if (pp.logprobs != null) {
                    logprobs = pp.logprobs;
                }
                if (pp.logitBias != null) {
                    logitBias = pp.logitBias;
                }
                if (pp.seed != null) {
                    seed = pp.seed;
                }
            }
            return this;
        }

        public Builder logprobs(Boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        public Builder logitBias(Map<String, Integer> logitBias) {
            this.logitBias = logitBias;
            return this;
        }

        public Builder seed(Integer seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public ProviderParams build() {
            return new ProviderParams(this);
        }
    }
}
