package dev.llmmesh;

import static dev.llmmesh.TestRequests.ask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.intercept.StreamTransformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingTest {

    static final class Recorder implements StreamingChatResponseHandler {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> complete = new CompletableFuture<>();
        volatile Throwable error;

        @Override
        public void onPartialResponse(String partialResponse) {
            chunks.add(partialResponse);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            complete.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            this.error = error;
            complete.completeExceptionally(error);
        }
    }

    @Test
    void streamsChunksAndCompletesWithTheRoutingDecision() throws Exception {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).build();
        Recorder rec = new Recorder();

        MeshResponse r = mesh.stream(ask("hi"), CallContext.EMPTY, rec).get(10, TimeUnit.SECONDS);

        assertThat(String.join("", rec.chunks)).isEqualTo("answer from a");
        assertThat(rec.chunks).hasSizeGreaterThan(1);
        assertThat(rec.complete).isCompleted();
        assertThat(r.decision().orElseThrow().primary()).contains("a");
    }

    @Test
    void failureBeforeFirstChunkFallsBackTransparently() throws Exception {
        FakeClient a = FakeClient.model("a", 0.1, 0.1).thenFail(RetryableException.serverError("a", "503"));
        FakeClient b = FakeClient.model("b", 1, 1);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).build();
        Recorder rec = new Recorder();

        MeshResponse r = mesh.stream(ask("hi"), CallContext.EMPTY, rec).get(10, TimeUnit.SECONDS);

        assertThat(String.join("", rec.chunks)).isEqualTo("answer from b");
        assertThat(r.attempts()).hasSize(2);
        assertThat(rec.error).isNull();
    }

    @Test
    void failureAfterFirstChunkEndsWithTruncationAndNoReplay() {
        FakeClient a = FakeClient.model("a", 0.1, 0.1)
                .streamCutAfter(2, RetryableException.serverError("a", "connection reset"));
        FakeClient b = FakeClient.model("b", 1, 1);
        Mesh mesh = Mesh.builder().addModel(a).addModel(b).build();
        Recorder rec = new Recorder();

        CompletableFuture<MeshResponse> f = mesh.stream(ask("hi"), CallContext.EMPTY, rec);

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StreamTruncatedException.class);
        assertThat(rec.error).isInstanceOf(StreamTruncatedException.class);
        assertThat(((StreamTruncatedException) rec.error).chunksDelivered()).isEqualTo(2);
        assertThat(String.join("", rec.chunks)).isEqualTo("answer from ");
        assertThat(b.calls()).isZero();
        assertThat(rec.complete).isCompletedExceptionally();
    }

    @Test
    void streamTransformerRewritesChunksAndFlushesHeldText() throws Exception {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2))
                .addCallInterceptor(chain -> chain.withStreamTransformer(new StreamTransformer() {
                    private final StringBuilder held = new StringBuilder();

                    @Override
                    public String onPartial(String text) {
                        held.append(text.toUpperCase());
                        return ""; // hold everything until the end
                    }

                    @Override
                    public String flush() {
                        return held.toString();
                    }
                }).proceed(chain.request()))
                .build();
        Recorder rec = new Recorder();

        mesh.stream(ask("hi"), CallContext.EMPTY, rec).get(10, TimeUnit.SECONDS);

        assertThat(rec.chunks).containsExactly("ANSWER FROM A");
    }

    @Test
    void shortCircuitedStreamDeliversTheInterceptorsAnswer() throws Exception {
        FakeClient a = FakeClient.model("a", 1, 2);
        Mesh mesh = Mesh.builder().addModel(a)
                .addCallInterceptor(chain -> a.response("from cache"))
                .build();
        Recorder rec = new Recorder();

        mesh.stream(ask("hi"), CallContext.EMPTY, rec).get(10, TimeUnit.SECONDS);

        assertThat(rec.chunks).containsExactly("from cache");
        assertThat(a.calls()).isZero();
    }

    @Test
    void streamingChatModelFacadeHonoursTheContract() throws Exception {
        FakeClient a = FakeClient.model("a", 0.1, 0.1).streamCutAfter(1, RetryableException.serverError("a", "reset"));
        Mesh mesh = Mesh.builder().addModel(a).addModel(FakeClient.model("b", 1, 1)).build();
        Recorder rec = new Recorder();

        mesh.asStreamingChatModel().chat(ask("hi"), rec);

        assertThatThrownBy(() -> rec.complete.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StreamTruncatedException.class);
        assertThat(rec.chunks).containsExactly("answer ");
    }

    @Test
    void streamingChatModelFacadeCompletesWithMeshMetadata() throws Exception {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).build();
        Recorder rec = new Recorder();

        mesh.asStreamingChatModel().chat(ask("hi"), rec);

        ChatResponse done = rec.complete.get(10, TimeUnit.SECONDS);
        assertThat(done.metadata()).isInstanceOf(MeshResponseMetadata.class);
        assertThat(done.aiMessage().text()).isEqualTo("answer from a");
    }

    @Test
    void chatAsyncCompletesOnTheMeshExecutor() throws Exception {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).build();

        MeshResponse r = mesh.chatAsync(ask("hi"), CallContext.EMPTY).get(10, TimeUnit.SECONDS);

        assertThat(r.text()).isEqualTo("answer from a");
        mesh.close();
        assertThatThrownBy(() -> mesh.chat(ask("again"))).isInstanceOf(MeshException.class).hasMessageContaining("closed");
    }
}
