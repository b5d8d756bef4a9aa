package dev.llmmesh.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The echo detector against a plain substring search, on random prompts and answers. */
class SystemPromptEchoDetectorTest {

    @Test
    void findsExactlyTheAnswersThatRepeatAWindowOfAPrompt() {
        Random random = new Random(3);
        for (int round = 0; round < 300; round++) {
            int minChars = 8 + random.nextInt(10);
            List<String> prompts = List.of(text(random, 40 + random.nextInt(400)), text(random, random.nextInt(30)));
            SystemPromptEchoDetector d = new SystemPromptEchoDetector(prompts, minChars);
            for (int k = 0; k < 20; k++) {
                String answer = text(random, random.nextInt(120));
                if (random.nextBoolean() && prompts.get(0).length() > minChars) {
                    int from = random.nextInt(prompts.get(0).length() - minChars);
                    int len = minChars - 1 + random.nextInt(3);
                    String piece = prompts.get(0).substring(from, Math.min(prompts.get(0).length(), from + len));
                    int at = random.nextInt(answer.length() + 1);
                    answer = answer.substring(0, at) + piece + answer.substring(at);
                }
                assertThat(d.echoedIn(answer)).as("%s / %s", prompts, answer)
                        .isEqualTo(naive(prompts, answer, minChars));
                SystemPromptEchoDetector.Window w = d.window();
                boolean streamed = false;
                for (int i = 0; i < answer.length(); i += 5) {
                    streamed = w.feed(answer.substring(i, Math.min(answer.length(), i + 5)));
                }
                assertThat(streamed).isEqualTo(naive(prompts, answer, minChars));
            }
        }
    }

    @Test
    void promptsShorterThanTheWindowFindNothing() {
        SystemPromptEchoDetector d = new SystemPromptEchoDetector(List.of("short"), 8);
        assertThat(d.active()).isFalse();
        assertThat(d.echoedIn("short short short")).isFalse();
        assertThat(new SystemPromptEchoDetector(List.of(), 8).active()).isFalse();
        assertThatThrownBy(() -> new SystemPromptEchoDetector(List.of("x"), 7))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean naive(List<String> prompts, String answer, int minChars) {
        for (int i = 0; i + minChars <= answer.length(); i++) {
            String w = answer.substring(i, i + minChars);
            for (String p : prompts) {
                if (p.contains(w)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String text(Random random, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append("abc de".charAt(random.nextInt(6)));
        }
        return b.toString();
    }
}
