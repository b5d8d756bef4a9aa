package dev.llmmesh.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.testkit.RedisServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisStateConfigurerTest {
    private static final String MODELS = "models:\n  - {id: m, provider: redis-test, model: m}\n";

    @Test
    void theStateSectionSetsARedisStoreFromTheEnvironmentBeforeOtherSections() {
        try (RedisServer redis = RedisServer.start()) {
            ConfigNode root = ConfigNode.fromYaml(MODELS + """
                    state:
                      redis:
                        uri: ${REDIS_URL}
                        timeout: 2s
                        namespace: fleet-a
                        connections: 2
                        breaker: {failures: 3, window: 6, openFor: 500ms}
                    """, Map.of("REDIS_URL", redis.uri())::get);
            MeshBuilder builder = MeshConfig.apply(root, Mesh.builder());
            assertThat(builder.stateStore()).isInstanceOf(RedisStateStore.class);
            RedisStateStore store = (RedisStateStore) builder.stateStore();
            assertThat(store.toString()).contains("namespace {fleet-a}", "2000 ms", "2 connection(s)");
            assertThat(store.redisKey("k")).isEqualTo("{fleet-a}:k");
            Mesh mesh = builder.build();
            assertThat(RedisStateStoreTest.retrying(() -> store.addAndGet("k", 3, java.time.Duration.ofMinutes(1))))
                    .isEqualTo(3);
            mesh.close();
        }
    }

    @Test
    void mistakesNameThePathAndNeverShowThePassword() {
        assertThatThrownBy(() -> MeshConfig.apply(ConfigNode.fromYaml(MODELS
                + "state:\n  redis:\n    uri: http://:pw-canary-55@host\n"), Mesh.builder()))
                .isInstanceOf(MeshConfigException.class).hasMessageContaining("state.redis.uri")
                .hasMessageNotContaining("pw-canary-55");
        assertThatThrownBy(() -> MeshConfig.apply(ConfigNode.fromYaml(MODELS
                + "state:\n  redis:\n    uri: redis://127.0.0.1:1\n    timout: 1s\n"), Mesh.builder()))
                .isInstanceOf(MeshConfigException.class).hasMessageContaining("timout");
        assertThatThrownBy(() -> MeshConfig.apply(ConfigNode.fromYaml(MODELS + "state:\n  memcached: {}\n"),
                Mesh.builder()))
                .isInstanceOf(MeshConfigException.class).hasMessageContaining("state.redis");
    }

    @Test
    void aStoreSetAfterTheDefaultWasHandedToAPluginIsRefused() {
        MeshBuilder b = Mesh.builder();
        b.stateStore(); // a plugin took the default
        assertThatThrownBy(() -> b.stateStore(new dev.llmmesh.state.InMemoryStateStore()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before installing");
    }
}
