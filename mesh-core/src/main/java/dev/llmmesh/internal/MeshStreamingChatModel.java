package dev.llmmesh.internal;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.MeshResponseMetadata;
import java.util.Set;

/** The mesh as a langchain4j {@link StreamingChatModel}, honouring the streaming contract. */
final class MeshStreamingChatModel implements StreamingChatModel {
    private final DefaultMesh mesh;
    private final CallContext context;

    MeshStreamingChatModel(DefaultMesh mesh, CallContext context) {
        this.mesh = mesh;
        this.context = context;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        doChat(request, handler);
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        CallContext current = CallContext.current().orElse(null);
        CallContext effective = current == null ? context : current.over(context);
        // the final response goes out with mesh metadata, so onCompleteResponse is delivered by the future
        StreamingChatResponseHandler partials = new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partialResponse) {
                handler.onPartialResponse(partialResponse);
            }

            @Override
            public void onPartialResponse(PartialResponse partial, PartialResponseContext ctx) {
                handler.onPartialResponse(partial, ctx);
            }

            @Override
            public void onPartialToolCall(PartialToolCall call) {
                handler.onPartialToolCall(call);
            }

            @Override
            public void onCompleteToolCall(CompleteToolCall call) {
                handler.onCompleteToolCall(call);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                // delivered below with mesh metadata
            }

            @Override
            public void onError(Throwable error) {
                // delivered below
            }
        };
        mesh.stream(request, effective, partials).whenComplete((r, e) -> {
            // langchain4j makes follow-up calls (tool loops) from these callbacks, on the mesh's thread: they carry
            // the caller's bound context as the first call did
            Runnable deliver = e != null
                    ? () -> handler.onError(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e)
                    : () -> handler.onCompleteResponse(
                            r.chatResponse().toBuilder().metadata(MeshResponseMetadata.of(r)).build());
            if (current == null) {
                deliver.run();
            } else {
                current.run(deliver);
            }
        });
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<dev.langchain4j.model.chat.Capability> supportedCapabilities() {
        return MeshChatModel.capabilities(mesh);
    }
}
