package dev.llmmesh;

import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import java.util.Objects;

/**
 * The metadata of a {@link dev.langchain4j.model.chat.response.ChatResponse} returned by the mesh's langchain4j
 * facades ({@link Mesh#asChatModel()}): the usual id, model name, usage and finish reason, plus the whole
 * {@link MeshResponse} with its routing decision, attempts and cost.
 *
 * <pre>{@code
 * if (chatResponse.metadata() instanceof MeshResponseMetadata m) {
 *     System.out.println(m.meshResponse().decision().orElseThrow().toTable());
 * }
 * }</pre>
 */
public final class MeshResponseMetadata extends ChatResponseMetadata {
    private final MeshResponse meshResponse;

    private MeshResponseMetadata(Builder builder) {
        super(builder);
        this.meshResponse = Objects.requireNonNull(builder.meshResponse, "meshResponse");
    }

    /** Metadata for {@code response}, copying the provider's id, model name, usage and finish reason. */
    public static MeshResponseMetadata of(MeshResponse response) {
        ChatResponseMetadata m = response.chatResponse().metadata();
        Builder b = new Builder();
        b.meshResponse = response;
        if (m != null) {
            b.id(m.id()).modelName(m.modelName()).tokenUsage(m.tokenUsage()).finishReason(m.finishReason());
        }
        return new MeshResponseMetadata(b);
    }

    /** Everything the mesh knows about the call. */
    public MeshResponse meshResponse() {
        return meshResponse;
    }

    /**
     * A builder holding this metadata, the mesh response included, so code that copies metadata with
     * {@code metadata().toBuilder()...build()} (as langchain4j's AiServices does when streaming) keeps the routing
     * decision.
     */
    @Override
    public Builder toBuilder() {
        Builder b = new Builder();
        b.meshResponse = meshResponse;
        toBuilder(b);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeshResponseMetadata m && super.equals(o) && meshResponse.equals(m.meshResponse);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + meshResponse.hashCode();
    }

    /** Builds a copy of a {@link MeshResponseMetadata} with some standard fields changed; see {@link #toBuilder()}. */
    public static final class Builder extends ChatResponseMetadata.Builder<Builder> {
        private MeshResponse meshResponse;

        private Builder() {
        }

        @Override
        public MeshResponseMetadata build() {
            return new MeshResponseMetadata(this);
        }
    }
}
