package dev.llmmesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.SystemMessage;
import dev.llmmesh.event.MeshEvent;
import dev.llmmesh.event.MeshListener;
import dev.llmmesh.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LangChain4jFacadeTest {

    interface Assistant {
        @SystemMessage("You are terse.")
        String answer(String question);

        @SystemMessage("You are terse.")
        Result<String> answerWithMetadata(String question);
    }

    @Test
    void aiServicesOnTheMeshAnswerThroughTheRouter() {
        FakeClient down = FakeClient.model("cheap", 0.1, 0.1)
                .thenFail(RetryableException.serverError("cheap", "503"));
        FakeClient up = FakeClient.model("strong", 3, 15);
        List<RoutingDecision> decisions = new ArrayList<>();
        Mesh mesh = Mesh.builder().addModel(down).addModel(up)
                .addListener(new MeshListener() {
                    @Override
                    public void routeSelected(MeshEvent.RouteSelected e) {
                        decisions.add(e.decision());
                    }
                })
                .build();
        Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel(CallContext.forTeam("support")));

        String answer = assistant.answer("What is a mesh?");

        assertThat(answer).isEqualTo("answer from strong");
        assertThat(decisions).hasSize(1);
        assertThat(decisions.get(0).plan()).containsExactly("cheap", "strong");
        assertThat(down.requests().get(0).messages()).hasSize(2); // system + user, as AiServices built them
    }

    @Test
    void routingDecisionIsReachableFromTheLangChain4jResponse() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)).addModel(FakeClient.model("b", 2, 4)).build();
        Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel());

        Result<String> result = assistant.answerWithMetadata("hi");

        ChatResponse finalResponse = result.finalResponse();
        assertThat(finalResponse.metadata()).isInstanceOf(MeshResponseMetadata.class);
        MeshResponse mr = ((MeshResponseMetadata) finalResponse.metadata()).meshResponse();
        assertThat(mr.decision().orElseThrow().primary()).contains("a");
        assertThat(mr.decision().orElseThrow().toTable()).contains("primary", "fallback");
        assertThat(finalResponse.tokenUsage().inputTokenCount()).isEqualTo(100);
        assertThat(result.content()).isEqualTo("answer from a");
    }

    @Test
    void chatModelFacadePassesMeshErrorsThrough() {
        Mesh mesh = Mesh.builder().addModel(FakeClient.model("a", 1, 2)
                .alwaysFail(NonRetryableException.authentication("a", "401"))).build();
        ChatModel model = mesh.asChatModel();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.chat("hi"))
                .isInstanceOf(NoRouteException.class)
                .hasCauseInstanceOf(NonRetryableException.class);
    }
}
