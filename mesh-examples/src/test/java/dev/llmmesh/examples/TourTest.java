package dev.llmmesh.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main command runs the tour; this runs it too and checks that it tells the story it promises. */
class TourTest {

    @Test
    void tourPrintsDecisionTablesAFallbackDuringTheOutageAndASummary() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Tour.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);

        assertThat(out).contains("rank  model", "primary", "fallback");
        assertThat(out).contains("fallback: budget-mini -> ");
        // one line per fallback route with its count, not one per call
        assertThat(out.lines().filter(l -> l.contains("fallback: budget-mini -> ")).count()).isLessThanOrEqualTo(2);
        assertThat(out).containsPattern("fallback: budget-mini -> \\S+ \\(\\w+\\), \\d+ call\\(s\\)");
        assertThat(out).contains("How to read the table:", "score is the strategy's total", "est. cost is");
        assertThat(out).contains("20 of 20 calls answered during the outage");
        assertThat(out).contains("rejected: circuit open until");
        assertThat(out).contains("rejected: context window 128000 < needed");
        assertThat(out).contains("Assistant.answer(..) -> ");
        assertThat(out).containsPattern("gpt-4o-mini\\s+\\d+\\s+\\d+");
    }
}
