package dev.llmmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmmesh.SecretMask;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The password inside a Redis URI joins the mesh's secret registry while the store lives. */
class RedisSecretMaskTest {

    @Test
    void scenario42_aPasswordInTheRedisUriIsMaskedInAnyLetterCase() {
        String password = "uri-pass-Zq8wX2vR7tY4uI1oP6";
        try (RedisStateStore store = RedisStateStore.builder("redis://:" + password + "@127.0.0.1:1/0")
                .connectTimeout(Duration.ofMillis(200)).build()) {
            assertThat(SecretMask.mask("NOAUTH for " + password.toUpperCase(java.util.Locale.ROOT)))
                    .isEqualTo("NOAUTH for ***");
            assertThat(store.toString()).doesNotContain("Zq8wX2vR");
        }
    }
}
