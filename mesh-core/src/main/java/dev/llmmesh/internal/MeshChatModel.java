package dev.llmmesh.internal;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.MeshResponseMetadata;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import java.util.EnumSet;
import java.util.Set;

/**
 * The mesh as a langchain4j {@link ChatModel}: every call goes through routing, interceptors and fallback, with the
 * facade's context, overlaid by the thread's {@link CallContext#current()} when one is bound.
 */
final class MeshChatModel implements ChatModel {
    private final DefaultMesh mesh;
    private final CallContext context;

    MeshChatModel(DefaultMesh mesh, CallContext context) {
        this.mesh = mesh;
        this.context = context;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return doChat(request);
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        CallContext current = CallContext.current().orElse(null);
        MeshResponse r = mesh.chat(request, current == null ? context : current.over(context));
        return r.chatResponse().toBuilder().metadata(MeshResponseMetadata.of(r)).build();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<dev.langchain4j.model.chat.Capability> supportedCapabilities() {
        return capabilities(mesh);
    }

    static Set<dev.langchain4j.model.chat.Capability> capabilities(DefaultMesh mesh) {
        Set<dev.langchain4j.model.chat.Capability> out = EnumSet.noneOf(dev.langchain4j.model.chat.Capability.class);
        for (ModelDescriptor m : mesh.catalog().all(ModelDescriptor.class)) {
            if (m.has(Capability.JSON_SCHEMA)) {
                out.add(dev.langchain4j.model.chat.Capability.RESPONSE_FORMAT_JSON_SCHEMA);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "MeshChatModel{context=" + context + '}';
    }
}
