package dev.llmmesh.rag.retrieve;

import static dev.llmmesh.rag.retrieve.FusionTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.rag.RagAttributes;
import dev.llmmesh.rag.RecordingClient;
import dev.llmmesh.rag.store.ScoredChunk;
import dev.llmmesh.intercept.Interceptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RerankersTest {

    @Test
    void aScoringModelReordersCandidatesByItsScores() {
        ScoringModel byLength = new ScoringModel() {
            @Override
            public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
                List<Double> s = new ArrayList<>();
                segments.forEach(t -> s.add(t.text().endsWith("c") ? 5.0 : t.text().endsWith("a") ? 1.0 : 3.0));
                return Response.from(s);
            }
        };

        List<ScoredChunk> out = Rerankers.scoringModel(byLength)
                .rerank("q", List.of(chunk("a", 3), chunk("b", 2), chunk("c", 1)));

        assertThat(out).extracting(c -> c.chunk().id()).containsExactly("c", "b", "a");
        assertThat(out.get(0).score()).isEqualTo(5.0);
    }

    @Test
    void anLlmRerankerAsksThroughTheMeshWithRetrievalOffAndKeepsUngradedCandidatesLast() {
        List<CallContext> contexts = new ArrayList<>();
        RecordingClient client = new RecordingClient("grader", r -> "2: 9\n[1]: 4\nnonsense line\n7: 10");
        try (Mesh mesh = Mesh.builder().addModel(client)
                .addCallInterceptor(Interceptor.named("spy", chain -> {
                    contexts.add(chain.context());
                    return chain.proceed(chain.request());
                })).build()) {
            List<ScoredChunk> out = Rerankers.llm(mesh, CallContext.forTeam("search"))
                    .rerank("which?", List.of(chunk("a", 3), chunk("b", 2), chunk("c", 1)));

            assertThat(out).extracting(c -> c.chunk().id()).containsExactly("b", "a", "c");
            assertThat(out).extracting(ScoredChunk::score).containsExactly(9.0, 4.0, -1.0);
            assertThat(contexts.get(0).team()).contains("search");
            assertThat(contexts.get(0).attributes()).containsEntry(RagAttributes.ENABLED, "false");
            assertThat(UserMessage.findLast(client.requests().get(0).messages()).orElseThrow().singleText())
                    .contains("[1] text a").contains("[3] text c").contains("which?");
        }
    }

    @Test
    void queryExpansionThroughTheMeshSearchesTheQuestionFirstThenTheRewrites() {
        RecordingClient client = new RecordingClient("rewriter", r -> "1. refund duration\n- refund time card\n\n");
        try (Mesh mesh = Mesh.builder().addModel(client).build()) {
            QueryTransformer t = QueryTransformers.expandThroughMesh(mesh, CallContext.EMPTY, 2);

            assertThat(t.transform("how long do refunds take?"))
                    .containsExactly("how long do refunds take?", "refund duration", "refund time card");
        }
    }
}
