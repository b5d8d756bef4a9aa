package dev.llmmesh.examples.spring;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.routing.RoutingDecision;
import dev.llmmesh.spring.ai.MeshSpringAi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /ask?q=..&team=..} answers through the mesh directly; {@code GET /ask-ai?q=..&team=..} through a Spring
 * AI {@link ChatClient} over the mesh. Both return the answer with the model that gave it and the routing plan.
 */
@RestController
public class AskController {
    private final Mesh mesh;
    private final ChatClient chatClient;

    public AskController(Mesh mesh, ChatClient chatClient) {
        this.mesh = mesh;
        this.chatClient = chatClient;
    }

    @GetMapping("/ask")
    public Map<String, Object> ask(@RequestParam("q") String question,
                                   @RequestParam(name = "team", defaultValue = "web") String team) {
        MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from(question)).build(),
                CallContext.builder().team(team).build());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("answer", r.text());
        out.put("model", r.modelId().orElse(""));
        out.put("fallback", r.failedAttempts() > 0);
        out.put("plan", r.decision().map(RoutingDecision::plan).orElse(List.of()));
        out.put("costUsd", r.cost().usd());
        out.put("requestId", r.requestId());
        return out;
    }

    @GetMapping("/ask-ai")
    public Map<String, Object> askAi(@RequestParam("q") String question,
                                     @RequestParam(name = "team", defaultValue = "web") String team) {
        ChatResponse r = chatClient.prompt().user(question).advisors(a -> a.param(MeshSpringAi.TEAM, team))
                .call().chatResponse();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("answer", r.getResult().getOutput().getText());
        Object model = r.getMetadata().get(MeshSpringAi.MODEL_ID);
        out.put("model", model == null ? "" : model);
        out.put("plan", MeshSpringAi.decision(r).map(RoutingDecision::plan).orElse(List.of()));
        return out;
    }
}
