package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.routing.RouterConfig;
import java.time.Duration;

/**
 * The provider call of a blocking attempt: {@code LlmClient.chat} with what is left of the deadline (or the attempt
 * timeout, when shorter) as its timeout. The last attempt stage of a blocking call.
 */
final class ProviderCall implements Stage<AttemptState> {
    private final RouterConfig config;

    ProviderCall(RouterConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "provider call";
    }

    @Override
    public ChatResponse proceed(AttemptState a, Next<AttemptState> next) {
        Duration left = Duration.between(a.started, a.chain().deadline());
        Duration timeout = config.attemptTimeout().filter(t -> t.compareTo(left) < 0).orElse(left);
        return a.rt.client.chat(a.request(), timeout);
    }
}
