package dev.llmmesh.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.governance.audit.AuditConfigurer;
import dev.llmmesh.governance.budget.FakeModel;
import dev.llmmesh.governance.ratelimit.RateLimitsConfigurer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mesh.yaml mistakes that used to load silently: each is now an error naming the path. */
class ConfigMistakesTest {
    @TempDir
    Path dir;

    private static MeshBuilder twoModels() {
        return Mesh.builder().addModel(FakeModel.priced("gpt-4o-mini", 1, 1)).addModel(FakeModel.priced("llama3", 1, 1));
    }

    @Test
    void aDenyEntryNamingNoModelIsAnErrorNamingItsPath() {
        ConfigNode section = ConfigNode.fromYaml("""
                governance:
                  teams:
                    checkout:
                      models: { deny: [gpt-4o-mni] }
                """).child("governance");

        assertThatThrownBy(() -> new GovernanceConfigurer().configure(section, twoModels()))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("governance.teams.checkout.models.deny: no model is called \"gpt-4o-mni\"")
                .hasMessageContaining("known ids: gpt-4o-mini, llama3");
    }

    @Test
    void anAllowEntryNamingNoModelIsAnErrorButPrefixesAndRealNamesPass() {
        ConfigNode bad = ConfigNode.fromYaml("governance:\n  baseline:\n    models: { allow: [llama-3] }\n")
                .child("governance");
        assertThatThrownBy(() -> new GovernanceConfigurer().configure(bad, twoModels()))
                .hasMessageStartingWith("governance.baseline.models.allow: no model is called \"llama-3\"");

        ConfigNode good = ConfigNode.fromYaml(
                "governance:\n  baseline:\n    models: { allow: [llama3, gpt-4*], deny: [gpt-3.5*] }\n").child("governance");
        MeshBuilder b = twoModels();
        new GovernanceConfigurer().configure(good, b);
        assertThat(b.build()).isNotNull();
    }

    @Test
    void aRateLimitOnAModelThatDoesNotExistIsAnError() {
        ConfigNode section = ConfigNode.fromYaml("""
                rateLimits:
                  models:
                    - { model: llama3, rpm: 10 }
                    - { model: lama3, rpm: 10 }
                """).child("rateLimits");

        assertThatThrownBy(() -> new RateLimitsConfigurer().configure(section, twoModels()))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("rateLimits.models[1].model: no model is called \"lama3\"");
    }

    @Test
    void aShortAuditHmacKeyIsAnErrorThatDoesNotShowTheKey() {
        ConfigNode section = ConfigNode.fromYaml("audit:\n  log: ${DIR}/audit.jsonl\n  hmacKey: ${KEY}\n",
                Map.of("DIR", dir.toString(), "KEY", "abc")::get).child("audit");

        assertThatThrownBy(() -> AuditConfigurer.read(section))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("audit.hmacKey: must have at least 16 bytes, got 3")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abc"));
    }
}
