package dev.llmmesh.spring.ai;

import dev.llmmesh.MeshResponse;
import dev.llmmesh.routing.RoutingDecision;
import java.util.Optional;
import org.springframework.ai.chat.model.ChatResponse;

/**
 * The names the Spring AI adapter uses, and helpers to read what the mesh put in a Spring AI {@link ChatResponse}.
 *
 * <pre>{@code
 * ChatResponse r = chatClient.prompt().user("Hi")
 *         .advisors(a -> a.param(MeshSpringAi.TEAM, "search").param(MeshSpringAi.USER, userId))
 *         .call().chatResponse();
 * RoutingDecision d = MeshSpringAi.decision(r).orElseThrow();   // or r.getMetadata().get(MeshSpringAi.DECISION)
 * }</pre>
 */
public final class MeshSpringAi {
    /** Advisor parameter: the caller's team ({@code CallContext.team}). */
    public static final String TEAM = "llmmesh.team";
    /** Advisor parameter: the end user ({@code CallContext.user}). */
    public static final String USER = "llmmesh.user";
    /** Advisor parameter: the tenant ({@code CallContext.tenant}). */
    public static final String TENANT = "llmmesh.tenant";

    /** Response metadata key: the {@link RoutingDecision} (absent when no routing happened). */
    public static final String DECISION = "llmmesh.decision";
    /** Response metadata key: the whole {@link MeshResponse} (attempts, cost, citations, verdicts). */
    public static final String RESPONSE = "llmmesh.response";
    /** Response metadata key: the id of the mesh model that answered. */
    public static final String MODEL_ID = "llmmesh.modelId";
    /** Response metadata key: the call's cost in USD as a {@link java.math.BigDecimal} (absent when unknown). */
    public static final String COST_USD = "llmmesh.costUsd";

    private MeshSpringAi() {
    }

    /** The mesh's response behind {@code response}, if the mesh made it. */
    public static Optional<MeshResponse> meshResponse(ChatResponse response) {
        Object r = response.getMetadata().get(RESPONSE);
        return r instanceof MeshResponse m ? Optional.of(m) : Optional.empty();
    }

    /** The routing decision behind {@code response}, if the mesh made it and routed. */
    public static Optional<RoutingDecision> decision(ChatResponse response) {
        return meshResponse(response).flatMap(MeshResponse::decision);
    }
}
