package dev.llmmesh.governance;

import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@code provider: governance-test} in test YAML: creates {@link TestModel}s that tests can look up by id. */
public final class TestModelFactory implements LlmClientFactory {
    static final Map<String, TestModel> CREATED = new ConcurrentHashMap<>();

    @Override
    public String provider() {
        return "governance-test";
    }

    @Override
    public LlmClient create(ModelDescriptor descriptor, ConfigNode settings) {
        TestModel m = new TestModel(descriptor);
        CREATED.put(descriptor.id(), m);
        return m;
    }
}
