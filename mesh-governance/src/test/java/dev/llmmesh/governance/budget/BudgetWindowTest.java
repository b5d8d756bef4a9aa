package dev.llmmesh.governance.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BudgetWindowTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void windowsAlignToTheCalendarOfTheConfiguredZone() {
        Instant now = Instant.parse("2026-03-14T22:47:13Z"); // 23:47:13 in Paris

        assertThat(BudgetWindow.MINUTE.start(now, PARIS)).isEqualTo("2026-03-14T22:47:00Z");
        assertThat(BudgetWindow.HOUR.start(now, PARIS)).isEqualTo("2026-03-14T22:00:00Z");
        assertThat(BudgetWindow.DAY.start(now, PARIS)).isEqualTo("2026-03-13T23:00:00Z");
        assertThat(BudgetWindow.DAY.end(now, PARIS)).contains(Instant.parse("2026-03-14T23:00:00Z"));
        assertThat(BudgetWindow.DAY.start(now, ZoneOffset.UTC)).isEqualTo("2026-03-14T00:00:00Z");
        assertThat(BudgetWindow.MONTH.start(now, PARIS)).isEqualTo("2026-02-28T23:00:00Z");
        assertThat(BudgetWindow.MONTH.end(now, PARIS)).contains(Instant.parse("2026-03-31T22:00:00Z"));
    }

    @Test
    void aDaylightSavingDayIsTwentyThreeHoursLongAndAMonthRollsOverAtTheYearEnd() {
        Instant springForward = Instant.parse("2026-03-29T12:00:00Z");
        assertThat(java.time.Duration.between(BudgetWindow.DAY.start(springForward, PARIS),
                BudgetWindow.DAY.end(springForward, PARIS).orElseThrow())).hasHours(23);
        assertThat(BudgetWindow.MONTH.end(Instant.parse("2026-12-31T23:59:59Z"), ZoneOffset.UTC))
                .contains(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void aTotalWindowNeverResets() {
        Instant now = Instant.parse("2026-03-14T22:47:13Z");
        assertThat(BudgetWindow.TOTAL.start(now, PARIS)).isEqualTo(Instant.EPOCH);
        assertThat(BudgetWindow.TOTAL.end(now, PARIS)).isEmpty();
    }

    @Test
    void namesParseIgnoringCaseAndUnknownOnesListTheValidOnes() {
        assertThat(BudgetWindow.parse(" Month ")).isEqualTo(BudgetWindow.MONTH);
        assertThat(Scope.parse("api_key")).isEqualTo(Scope.API_KEY);
        assertThat(Scope.parse("agentRun")).isEqualTo(Scope.AGENT_RUN);
        assertThatThrownBy(() -> BudgetWindow.parse("week")).hasMessageContaining("minute, hour, day, month, total");
        assertThatThrownBy(() -> Scope.parse("tenant")).hasMessageContaining("org, team, user, apiKey, agentRun");
    }
}
