package dev.llmmesh.providers.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import java.util.Objects;

/**
 * A provider's blocking and streaming langchain4j models, built over {@link MeshHttpClient}.
 *
 * @param chat      the blocking model
 * @param streaming the streaming model
 */
public record ChatModels(ChatModel chat, StreamingChatModel streaming) {
    /**
     * What langchain4j modules that insist on a key get instead of the real one. {@link MeshHttpClient} drops the header
     * langchain4j sets from it and adds the real key, so langchain4j (and its request logging) never holds the key.
     */
    public static final String PLACEHOLDER_KEY = "mesh-managed-key";

    public ChatModels {
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(streaming, "streaming");
    }
}
