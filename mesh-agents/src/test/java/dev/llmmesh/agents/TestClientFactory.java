package dev.llmmesh.agents;

import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.LlmClientFactory;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.testkit.ScriptedLlmClient;

/** A provider for mesh.yaml tests: {@code provider: agents-test} makes a scripted client answering {@code answer}. */
public final class TestClientFactory implements LlmClientFactory {
    @Override
    public String provider() {
        return "agents-test";
    }

    @Override
    public LlmClient create(ModelDescriptor descriptor, ConfigNode settings) {
        return ScriptedLlmClient.builder(descriptor).answer(settings.string("answer", "ok")).build();
    }
}
