package dev.llmmesh.governance.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-pass pre-check of {@link Scrubber} skips the patterns only for texts none of them can match: scrubbing with
 * and without it gives the same text, on credentials, near misses and ordinary audit fields.
 */
class ScrubberPreCheckTest {
    private static final List<String> TEXTS = List.of(
            "", "order-status", "support", "agent-17", "bench-model-000", "gpt-4o-mini",
            "max_tokens 512 clamped to 2048", "prompt-injection score 0.95 >= threshold 0.80 [ignore-instructions]",
            "model x is denied by team:red/models.deny", "answer holds PII not in the input: EMAIL x1",
            "401 from upstream: invalid api key sk-proj-Zq8CANARYopenai4f7d1e2c9b",
            "Authorization: Bearer gsk_CANARYgroq7Hk2mPq9Rt5Vw3Xy", "authorization:bearer abcdef123",
            "BASIC dXNlcjpwYXNz", "xbasic   abcdefgh", "bearer abc", "key=AIzaSyCANARYgoogle-x7Kp2Qm9Rt5Vw3",
            "AKIACANARY7QX4ZLM2KB", "ASIAABCDEFGHIJKLMNOP", "the AKIA prefix alone", "sk-short", "sk-abcdef",
            "ghp_0123456789abcdef", "github_pat_11ABCDEFG", "glpat-xxxxxxxxxxxx", "xoxb-1234-5678",
            "api_key = \"s3cr3t-value\"", "x-api-key:abcd1234", "API-KEY :  zzzz", "myToken=abcd", "SIG=1234",
            "password:hunter2", "passwd = pw", "signature=abcdef", "secret: a", "note: nothing secret here",
            "ratio 3:4 and a=b", "c4n4ry0aa7e5b1d2f3e4a5b6c7d8e9f0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "0123456789012345678901234567890123456789", "FwoGZXIvYXdzECANARYstsTOKEN9kLmN0pQrS1tU2vW3xY4z",
            "audit-hmac-CANARY-key-5mK9", "rk_live_abcdefghij", "pk-test-123456", "résumé token: ÿÿÿÿ",
            "Schlüssel=geheim", "tab\tkey\t=\tvalue", "line\ntoken\n:\nabcdef");

    @Test
    void scrubbingWithThePreCheckEqualsScrubbingWithEveryPattern() {
        List<String> texts = new ArrayList<>(TEXTS);
        Random random = new Random(42);
        String alphabet = "abcskpgrxAIKzS_-=:/+ \t0123456789BeaErsicnodwtyk";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = random.nextInt(60);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            texts.add(b.toString());
        }
        for (String t : texts) {
            assertThat(Scrubber.scrub(t)).as(t).isEqualTo(Scrubber.scrubWithPatterns(t));
        }
    }

    @Test
    void ordinaryAuditFieldsSkipThePatterns() {
        assertThat(List.of("order-status", "support", "bench-model-000", "max_tokens 512 clamped to 2048",
                "answer holds PII not in the input: EMAIL x1", "model x is denied by team:red/models.deny"))
                .noneMatch(Scrubber::mayHoldSecret);
        assertThat(List.of("key=abcd", "Bearer abcdefgh", "sk-proj-Zq8CANARYopenai4f7d1e2c9b",
                "c4n4ry0aa7e5b1d2f3e4a5b6c7d8e9f0")).allMatch(Scrubber::mayHoldSecret);
    }
}
