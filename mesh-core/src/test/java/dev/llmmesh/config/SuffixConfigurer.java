package dev.llmmesh.config;

import dev.langchain4j.data.message.AiMessage;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.intercept.Interceptor;

/**
 * Test section {@code suffix:} with one required key {@code text} (at most 20 characters): adds a call interceptor
 * that appends the text to every answer, so a test can see that the section reached the builder.
 */
public final class SuffixConfigurer implements MeshConfigurer {
    @Override
    public String section() {
        return "suffix";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        String text = section.string("text");
        section.requireNoUnknownKeys();
        if (text.length() > 20) { // a module's own validation, the way builder setters reject values
            throw new IllegalArgumentException("suffix text must be at most 20 characters, got " + text.length());
        }
        builder.addCallInterceptor(Interceptor.named("suffix", chain -> {
            var response = chain.proceed(chain.request());
            return response.toBuilder().aiMessage(AiMessage.from(response.aiMessage().text() + text)).build();
        }));
    }
}
