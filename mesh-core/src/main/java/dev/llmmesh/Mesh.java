package dev.llmmesh;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.routing.HealthSnapshot;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Many LLMs as one governed, resilient resource. Build one with {@link #builder()} (or from {@code mesh.yaml} with
 * {@link dev.llmmesh.config.MeshConfig}), share it across the application, and close it on shutdown.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder()
 *     .addModel(cheapClient)
 *     .addModel(strongClient)
 *     .build();
 * MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("Hi")).build(), CallContext.forTeam("search"));
 * System.out.println(r.text());
 * System.out.println(r.decision().orElseThrow().toTable());
 * }</pre>
 *
 * <p>A mesh is thread-safe; one instance serves the whole application. Calls fail with {@link MeshException}s,
 * classified by what the caller should do. Programming errors are not wrapped: a null argument is a
 * {@link NullPointerException}, and an interceptor that breaks the chain contract (returns null, or an attempt
 * interceptor that does not call {@code proceed} exactly once) fails with an exception naming it.
 */
public interface Mesh extends AutoCloseable {

    /** A builder for a new mesh. */
    static MeshBuilder builder() {
        return new MeshBuilder();
    }

    /** Sends {@code request} with an empty context and waits for the answer. */
    default MeshResponse chat(ChatRequest request) {
        return chat(request, CallContext.EMPTY);
    }

    /** Sends a single user message with an empty context and waits for the answer. */
    default MeshResponse chat(String userMessage) {
        return chat(ChatRequest.builder().messages(UserMessage.from(userMessage)).build(), CallContext.EMPTY);
    }

    /**
     * Sends {@code request}: interceptors, routing, attempts and fallbacks, and waits for the answer.
     *
     * @throws MeshException classified by what the caller should do
     */
    MeshResponse chat(ChatRequest request, CallContext context);

    /**
     * As {@link #chat(ChatRequest, CallContext)}, on the mesh's executor. The future fails with the
     * {@link MeshException}. Cancelling it (with or without {@code mayInterruptIfRunning}) abandons the call: the
     * HTTP exchange in flight is aborted, the attempt ends as {@link ErrorKind#CANCELLED} with no cost (nothing is
     * billed that the provider did not report), and no fallback or retry follows.
     */
    CompletableFuture<MeshResponse> chatAsync(ChatRequest request, CallContext context);

    /**
     * Streams the answer to {@code handler}. Output is held until the first content chunk is committed: a failure
     * before it falls back to the next model transparently; a failure after it ends the stream with a
     * {@link StreamTruncatedException}, never a clean end and never a replay from another model.
     *
     * @return a future of the complete response; it completes after {@code handler.onCompleteResponse} (or fails
     *         after {@code handler.onError}). Cancelling it cancels the upstream stream.
     */
    CompletableFuture<MeshResponse> stream(ChatRequest request, CallContext context,
                                           StreamingChatResponseHandler handler);

    /** This mesh as a langchain4j {@link ChatModel}, calling with an empty context. */
    default ChatModel asChatModel() {
        return asChatModel(CallContext.EMPTY);
    }

    /**
     * This mesh as a langchain4j {@link ChatModel} calling with {@code context}. The returned responses carry a
     * {@link MeshResponseMetadata} as metadata, so the routing decision is reachable from langchain4j code.
     */
    ChatModel asChatModel(CallContext context);

    /** This mesh as a langchain4j {@link StreamingChatModel}, calling with an empty context. */
    default StreamingChatModel asStreamingChatModel() {
        return asStreamingChatModel(CallContext.EMPTY);
    }

    /** This mesh as a langchain4j {@link StreamingChatModel} calling with {@code context}. */
    StreamingChatModel asStreamingChatModel(CallContext context);

    /**
     * Asks the registered {@link dev.llmmesh.intercept.ToolCallGuard}s whether a tool call may run, in registration
     * order, and tells the listeners ({@code toolCallChecked}) either way. Tool runners (such as mesh-agents) call this
     * before every tool call.
     *
     * @return empty when the call may run, else the denial as a {@link Verdict} with the guard's policy id
     */
    java.util.Optional<Verdict> checkToolCall(String toolName, String arguments, CallContext context);

    /** The catalog of models (and other items) this mesh may use. */
    Catalog catalog();

    /** The health of every registered model, in id order. */
    List<HealthSnapshot> health();

    /** Closes the clients, the executor the mesh created, and the state store. Idempotent. */
    @Override
    void close();
}
