package dev.llmmesh.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.event.MeshEvent;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class MeshPropertyTreeTest {

    private static Map<String, Object> tree(Map<String, Object> high, Map<String, Object> low) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("low", low));
        env.getPropertySources().addFirst(new MapPropertySource("high", high));
        return MeshPropertyTree.read(env);
    }

    @Test
    void propertiesBecomeTheYamlTreeWithListsScalarsAndPrecedence() {
        Map<String, Object> t = tree(
                Map.of("llmmesh.models[0].contextWindow", "128000", "llmmesh.models[1].id", "b",
                        "llmmesh.routing.split[canary.v2]", "10"),
                Map.of("llmmesh.models[0].id", "a", "llmmesh.models[0].contextWindow", "8192",
                        "llmmesh.models[0].pricing.input", "0.15", "llmmesh.models[0].region", "",
                        "llmmesh.observability.legacyGenAiMetrics", "true", "llmmesh.config-location", "x",
                        "llmmesh.endpoint.recent-decisions", "5", "other.key", "1"));

        assertThat(t).containsOnlyKeys("models", "routing", "observability");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> models = (List<Map<String, Object>>) t.get("models");
        assertThat(models).hasSize(2);
        assertThat(models.get(0)).containsEntry("id", "a").containsEntry("contextWindow", 128000L)
                .containsEntry("region", null);
        assertThat(models.get(0).get("pricing")).isEqualTo(Map.of("input", new BigDecimal("0.15")));
        assertThat(t.get("routing")).isEqualTo(Map.of("split", Map.of("canary.v2", 10L)));
        assertThat(t.get("observability")).isEqualTo(Map.of("legacyGenAiMetrics", true));
        assertThat(tree(Map.of(), Map.of("llmmesh.enabled", "true"))).isEmpty();
    }

    @Test
    void aGapInAListOrAValueThatIsAlsoAMappingIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> tree(Map.of("llmmesh.models[1].id", "b"), Map.of()))
                .hasMessage("llmmesh.models[0] is missing while llmmesh.models[1] is set; number list entries from 0 "
                        + "without gaps");
        assertThatThrownBy(() -> tree(Map.of("llmmesh.routing", "x"), Map.of("llmmesh.routing.maxAttempts", "2")))
                .hasMessageContaining("llmmesh.routing");
    }

    @Test
    void aConfigurationErrorIsReportedAtStartupWithItsPathUnderLlmmesh() {
        FailureAnalysis analysis = new MeshConfigFailureAnalyzer().analyze(new IllegalStateException("wrapped",
                new MeshConfigException("routing.maxAttempts", "expected an integer >= 1, got 0")));
        assertThat(analysis.getDescription())
                .isEqualTo("The LLM Mesh configuration is invalid: routing.maxAttempts: expected an integer >= 1, got 0");
        assertThat(analysis.getAction()).contains("llmmesh.routing.maxAttempts");
    }

    @Test
    void theSpendTableIsBoundedAndCountsTeamsBeyondItUnderOther() {
        MeshActivity activity = new MeshActivity(1, 2, Clock.systemUTC());
        for (String team : List.of("a", "b", "c", "d")) {
            String id = "r-" + team;
            activity.callStarted(new MeshEvent.CallStarted(id, CallContext.forTeam(team), false, Instant.EPOCH));
            activity.callEnded(new MeshEvent.CallEnded(id, Optional.empty(), Optional.empty(), Duration.ZERO,
                    Cost.usd(BigDecimal.ONE), List.of()));
        }
        assertThat(activity.spendByTeam()).containsOnlyKeys("a", "b", MeshActivity.OTHER_TEAM);
        assertThat(activity.spendByTeam().get(MeshActivity.OTHER_TEAM).calls()).isEqualTo(2);
        assertThat(activity.spendByTeam().get("a").usd()).isEqualByComparingTo("1");
        assertThat(activity.recentCalls()).hasSize(1).first().satisfies(c -> assertThat(c.requestId()).isEqualTo("r-d"));
    }
}
