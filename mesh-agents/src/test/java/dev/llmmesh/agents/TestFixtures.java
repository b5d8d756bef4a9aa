package dev.llmmesh.agents;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared helpers for the agents tests. */
public final class TestFixtures {
    private static final AtomicInteger CALL_IDS = new AtomicInteger();

    private TestFixtures() {
    }

    /** A scripted model with chat, tools and JSON schema, priced per million input/output tokens. */
    public static ScriptedLlmClient.Builder model(String id, double input, double output) {
        return ScriptedLlmClient.builder(ModelDescriptor.builder(id, "scripted", id)
                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS, Capability.JSON_SCHEMA)
                .contextWindow(128_000).maxOutputTokens(4096)
                .pricing(Pricing.perMillion(input, output)).build());
    }

    /** A tool call as a model would write it. */
    public static ToolExecutionRequest call(String tool, String argumentsJson) {
        return ToolExecutionRequest.builder().id("tc-" + CALL_IDS.incrementAndGet()).name(tool)
                .arguments(argumentsJson).build();
    }

    /** A tool step: the model asks for {@code calls}. */
    public static ScriptedLlmClient.Step tools(ToolExecutionRequest... calls) {
        return ScriptedLlmClient.Step.toolCalls(calls);
    }

    /** An answer step. */
    public static ScriptedLlmClient.Step says(String text) {
        return ScriptedLlmClient.Step.answer(text);
    }
}
