package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.testkit.ManualClock;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetsConfigurerTest {

    private static ConfigNode section(String yaml) {
        return ConfigNode.fromYaml(yaml, Map.of("PEPPER", "s3cr3t-pepper")::get).child("budgets");
    }

    @Test
    void theBudgetsSectionInstallsAWorkingPlugin() {
        ConfigNode s = section("""
                budgets:
                  timeZone: Europe/Paris
                  onStoreFailure: fail_closed
                  unpricedReservationUsd: 0.25
                  maxOutputTokens: 4096
                  teamMaxOutputTokens: {search: 1024}
                  keyPepper: ${PEPPER}
                  totalRetention: 7d
                  limits:
                    - {scope: org, window: month, usd: 5000}
                    - {scope: team, subject: search, window: day, usd: 0.015}
                    - {scope: agentRun, window: total, usd: 2}
                """);
        BudgetConfig config = BudgetsConfigurer.read(s);
        s.requireNoUnknownKeys();
        assertThat(config.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(config.limits()).hasSize(3);
        assertThat(config.unpricedReservation()).contains(new BigDecimal("0.25"));
        assertThat(config.maxOutputTokensFor(java.util.Optional.of("search"))).contains(1024);
        assertThat(config.toString()).doesNotContain("s3cr3t");

        MeshBuilder builder = Mesh.builder().clock(new ManualClock())
                .addModel(FakeModel.priced("m", 0, 10).usage(10, 1000)); // $0.01 per call
        new BudgetsConfigurer().configure(section("""
                budgets:
                  limits:
                    - {scope: team, subject: search, window: day, usd: 0.015}
                """), builder);
        Mesh mesh = builder.build();
        ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("hi")).maxOutputTokens(1000).build();
        mesh.chat(ask, CallContext.forTeam("search"));
        assertThatThrownBy(() -> mesh.chat(ask, CallContext.forTeam("search")))
                .isInstanceOf(BudgetExceededException.class).hasMessageContaining("team:search/day");
        mesh.close();
    }

    @Test
    void badValuesFailWithTheirPathAndTheFix() {
        assertThatThrownBy(() -> BudgetsConfigurer.read(section("""
                budgets:
                  limits:
                    - {scope: team, window: fortnight, usd: 5}
                """))).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("budgets.limits[0].window").hasMessageContaining("minute, hour, day, month, total");
        assertThatThrownBy(() -> BudgetsConfigurer.read(section("""
                budgets:
                  limits:
                    - {scope: tenant, window: day, usd: 5}
                """))).hasMessageContaining("budgets.limits[0].scope").hasMessageContaining("apiKey");
        assertThatThrownBy(() -> BudgetsConfigurer.read(section("""
                budgets:
                  limits:
                    - {scope: team, window: day, usd: -1}
                """))).hasMessageContaining("budgets.limits[0].usd");
        assertThatThrownBy(() -> BudgetsConfigurer.read(section("""
                budgets:
                  timeZone: Mars/Olympus
                """))).hasMessageContaining("budgets.timeZone").hasMessageContaining("Europe/Paris");
        assertThatThrownBy(() -> BudgetsConfigurer.read(section("""
                budgets:
                  limits:
                    - {scope: org, subject: acme, window: day, usd: 5}
                """))).hasMessageContaining("budgets.limits[0]").hasMessageContaining("no subject");
        ConfigNode typo = section("""
                budgets:
                  limit: []
                """);
        assertThatThrownBy(() -> new BudgetsConfigurer().configure(typo, Mesh.builder()))
                .hasMessageContaining("budgets.limit").hasMessageContaining("did you mean");
    }
}
