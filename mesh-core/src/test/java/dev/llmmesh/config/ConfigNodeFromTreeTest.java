package dev.llmmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigNodeFromTreeTest {

    @Test
    void aTreeReadsLikeTheSameYamlWithoutLineNumbers() {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", "mini");
        model.put("contextWindow", 128_000);
        model.put("pricing", Map.of("input", new BigDecimal("0.15")));
        model.put("tags", List.of("cheap", 3));
        model.put("timeout", "${T}");
        ConfigNode root = ConfigNode.fromTree(Map.of("models", List.of(model), "routing", Map.of("maxAttempts", 0)),
                Map.of("T", "20s")::get);

        ConfigNode m = root.nodeList("models").get(0);
        assertThat(m.path()).isEqualTo("models[0]");
        assertThat(m.string("id")).isEqualTo("mini");
        assertThat(m.integer("contextWindow", 1)).isEqualTo(128_000);
        assertThat(m.child("pricing").decimal("input", BigDecimal.ZERO)).isEqualByComparingTo("0.15");
        assertThat(m.stringList("tags")).containsExactly("cheap", "3");
        assertThat(m.duration("timeout")).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> root.child("routing").integer("maxAttempts", 1))
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("routing.maxAttempts: expected an integer >= 1, got 0");
        assertThatThrownBy(() -> ConfigNode.fromYaml("routing:\n  maxAttempts: 0\n").child("routing")
                .integer("maxAttempts", 1)).hasMessage("routing.maxAttempts: expected an integer >= 1, got 0 (line 2)");
    }

    @Test
    void aValueOfAnotherTypeIsRefusedWithItsPath() {
        assertThatThrownBy(() -> ConfigNode.fromTree(Map.of("routing", Map.of("x", new Object())), k -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("routing.x: unsupported value type java.lang.Object");
    }
}
