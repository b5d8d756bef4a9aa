package dev.llmmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.MeshBuilder;
import dev.llmmesh.state.InMemoryStateStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code state: memory:} sizes core's bounded in-memory store from mesh.yaml. */
class StateSectionTest {
    private static final String MODELS = "models:\n  - {id: m, provider: test, model: x}\n";

    private static MeshBuilder parse(String yaml) {
        return MeshConfig.parse(MODELS + yaml, Map.<String, String>of()::get);
    }

    @Test
    void scenario28_stateMemoryMaxEntriesSizesTheInMemoryStore() {
        MeshBuilder b = parse("state:\n  memory:\n    maxEntries: 5000\n");
        assertThat(b.stateStore()).isInstanceOfSatisfying(InMemoryStateStore.class,
                s -> assertThat(s.maxEntries()).isEqualTo(5000));
        assertThat(((InMemoryStateStore) parse("state:\n  memory: {}\n").stateStore()).maxEntries())
                .isEqualTo(InMemoryStateStore.DEFAULT_MAX_ENTRIES);
    }

    @Test
    void badStateSectionsNameThePath() {
        assertThatThrownBy(() -> parse("state:\n  memory:\n    maxEntries: 0\n"))
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("state.memory.maxEntries: ");
        assertThatThrownBy(() -> parse("state:\n  memory:\n    maxEntrys: 10\n"))
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("state.memory.maxEntrys: ")
                .hasMessageContaining("maxEntries");
        assertThatThrownBy(() -> parse("state:\n  memory: {}\n  redis: {uri: redis://127.0.0.1:6379}\n"))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("state.redis: give one store: either memory or redis");
        assertThatThrownBy(() -> parse("state:\n  redis: {uri: redis://127.0.0.1:6379}\n"))
                .isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("state: the only store core knows is \"memory\"");
    }
}
