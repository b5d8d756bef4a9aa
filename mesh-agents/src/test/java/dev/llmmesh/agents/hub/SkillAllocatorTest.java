package dev.llmmesh.agents.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.agents.AgentSpec;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.routing.HealthSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SkillAllocatorTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private final SkillAllocator allocator = SkillAllocator.defaults();

    private static ModelDescriptor model(String id, double in, double out, Capability... caps) {
        return ModelDescriptor.builder(id, "scripted", id).capabilities(caps).contextWindow(128_000)
                .maxOutputTokens(4096).pricing(Pricing.perMillion(in, out)).build();
    }

    private static HealthSnapshot health(String id, double success) {
        return new HealthSnapshot(id, 20, success, Optional.of(Duration.ofMillis(300)), Optional.empty(),
                Optional.empty(), 0, Optional.empty(), Optional.empty(), HealthSnapshot.BreakerState.CLOSED);
    }

    private static AgentSpec agent(String id, String... skills) {
        return AgentSpec.builder(id).description(id).skills(skills).systemPrompt("You are " + id + ".").build();
    }

    private final ModelDescriptor cheap = model("m-cheap", 0.15, 0.6, Capability.CHAT, Capability.TOOLS);
    private final ModelDescriptor strong = model("m-strong", 3, 15, Capability.CHAT, Capability.TOOLS,
            Capability.VISION);
    private final List<ModelDescriptor> models = List.of(cheap, strong);
    private final List<HealthSnapshot> healthy = List.of(health("m-cheap", 1.0), health("m-strong", 1.0));

    @Test
    void prefersTheFullestSkillMatchThenTheBestScore() {
        Subtask refund = new Subtask("t1", Set.of("billing", "refunds"), "refund order 1002");
        List<AgentSpec> agents = List.of(agent("generalist", "billing"), agent("billing", "billing", "refunds"),
                agent("tech", "technical"));

        Allocation a = allocator.allocate(refund, agents, models, healthy, NOW);

        assertThat(a.best()).contains("billing");
        assertThat(a.isTie()).isFalse();
        assertThat(a.ranked()).extracting(AllocationCandidate::agentId).containsExactly("billing", "generalist");
        assertThat(a.ranked().get(0).skillMatch()).isEqualTo(1.0);
        assertThat(a.ranked().get(1).skillMatch()).isEqualTo(0.5);
        assertThat(a.rejected()).singleElement().satisfies(c -> {
            assertThat(c.agentId()).isEqualTo("tech");
            assertThat(c.rejection()).contains("no matching skill (has [technical])");
        });
    }

    @Test
    void cheaperModelsWinAmongEqualSkillsAndHealthBreaksCostTies() {
        Subtask fix = new Subtask("t1", Set.of("technical"), "fix the crash");
        AgentSpec plain = agent("tech-plain", "technical");
        AgentSpec vision = agent("tech-vision", "technical").toBuilder().requires(Capability.VISION).build();

        Allocation byCost = allocator.allocate(fix, List.of(vision, plain), models, healthy, NOW);
        assertThat(byCost.best()).contains("tech-plain");
        assertThat(byCost.ranked().get(0).model()).contains("m-cheap");
        assertThat(byCost.ranked().get(1).model()).contains("m-strong");
        assertThat(byCost.ranked().get(1).costTerm()).isLessThan(0.1);

        AgentSpec other = agent("tech-other", "technical");
        Allocation tie = allocator.allocate(fix, List.of(other, plain), models, healthy, NOW);
        assertThat(tie.isTie()).isTrue();
        assertThat(tie.tied()).containsExactly("tech-other", "tech-plain");

    }

    @Test
    void theHealthOfAnAgentsModelsDecidesBetweenOtherwiseEqualAgents() {
        Subtask fix = new Subtask("t1", Set.of("technical"), "fix the crash");
        ModelDescriptor audio = model("m-audio", 1, 2, Capability.CHAT, Capability.AUDIO);
        ModelDescriptor vision = model("m-vision", 1, 2, Capability.CHAT, Capability.VISION);
        AgentSpec listener = agent("listener", "technical").toBuilder().requires(Capability.AUDIO).build();
        AgentSpec watcher = agent("watcher", "technical").toBuilder().requires(Capability.VISION).build();
        List<AgentSpec> both = List.of(listener, watcher);
        List<ModelDescriptor> ms = List.of(audio, vision);

        assertThat(allocator.allocate(fix, both, ms, List.of(health("m-audio", 1), health("m-vision", 1)), NOW)
                .tied()).containsExactly("listener", "watcher");
        Allocation audioFailing = allocator.allocate(fix, both, ms,
                List.of(health("m-audio", 0.4), health("m-vision", 1)), NOW);
        assertThat(audioFailing.best()).contains("watcher");
        assertThat(audioFailing.ranked().get(1).healthTerm()).isEqualTo(0.4);
        assertThat(allocator.allocate(fix, both, ms, List.of(health("m-audio", 0.9), health("m-vision", 0.5)), NOW)
                .best()).contains("listener");
    }

    @Test
    void rejectsAgentsNoModelMayServeNow() {
        Subtask fix = new Subtask("t1", Set.of("technical"), "fix it");
        AgentSpec needsAudio = agent("audio", "technical").toBuilder().requires(Capability.AUDIO).build();
        AgentSpec tooCheap = agent("frugal", "technical").toBuilder().maxCostPerCall(0.0000001).build();
        AgentSpec retired = agent("old", "technical").withLifecycle(
                Lifecycle.of(LifecycleState.RETIRED, "ops", NOW));
        AgentSpec fine = agent("fine", "technical");
        List<HealthSnapshot> cooling = List.of(
                new HealthSnapshot("m-cheap", 5, 0.0, Optional.empty(), Optional.empty(), Optional.empty(), 0,
                        Optional.of(NOW.plusSeconds(30)), Optional.of(NOW), HealthSnapshot.BreakerState.OPEN),
                health("m-strong", 1.0));

        Allocation a = allocator.allocate(fix, List.of(needsAudio, tooCheap, retired, fine), models, cooling, NOW);

        assertThat(a.best()).contains("fine");
        assertThat(a.ranked().get(0).model()).contains("m-strong");
        assertThat(a.describe()).containsExactly(
                a.ranked().get(0).describe(),
                "audio rejected: no model with [audio]",
                "frugal rejected: no capable model within the cost cap of $0.0000001 per call",
                "old rejected: lifecycle retired");
    }

    @Test
    void allocationIsDeterministicForEqualInputsWhateverTheirOrder() {
        Subtask fix = new Subtask("t1", Set.of("technical", "mobile"), "fix the app");
        List<AgentSpec> agents = new ArrayList<>(List.of(agent("a", "technical"), agent("b", "technical", "mobile"),
                agent("c", "technical", "mobile"), agent("d", "mobile"),
                agent("e", "technical", "mobile").toBuilder().requires(Capability.VISION).build(),
                agent("f", "billing")));
        List<ModelDescriptor> ms = new ArrayList<>(models);
        List<HealthSnapshot> hs = new ArrayList<>(List.of(health("m-cheap", 0.9), health("m-strong", 0.95)));
        Allocation first = allocator.allocate(fix, agents, ms, hs, NOW);
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            Collections.shuffle(agents, random);
            Collections.shuffle(ms, random);
            Collections.shuffle(hs, random);
            assertThat(allocator.allocate(fix, List.copyOf(agents), List.copyOf(ms), List.copyOf(hs), NOW))
                    .isEqualTo(first);
        }
        assertThat(first.tied()).containsExactly("b", "c");
        assertThat(first.best()).contains("b");
        assertThat(first.ranked()).extracting(AllocationCandidate::agentId).containsExactly("b", "c", "e", "a", "d");
    }
}
