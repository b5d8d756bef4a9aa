package dev.llmmesh.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.routing.RouterConfig;
import java.time.Duration;

/**
 * The README's quickstart, verbatim, so that it always compiles. It calls OpenAI when {@code OPENAI_API_KEY} is set
 * and a local OpenAI-compatible server (e.g. vLLM, LM Studio, Ollama's /v1) on 127.0.0.1:8000 as the fallback;
 * without a key it says so and exits.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=Quickstart}
 */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) {
        if (System.getenv("OPENAI_API_KEY") == null) {
            System.out.println("OPENAI_API_KEY is not set: this example would route between gpt-4o-mini and a local "
                    + "OpenAI-compatible server at http://127.0.0.1:8000/v1. The offline tour shows the same on "
                    + "simulated providers: ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun");
            return;
        }
        Mesh mesh = Mesh.builder()
                .addModel(OpenAiClient.builder(ModelDescriptor.builder("mini", "openai", "gpt-4o-mini")
                                .capabilities(Capability.CHAT, Capability.STREAMING, Capability.TOOLS)
                                .contextWindow(128_000).maxOutputTokens(16_384)
                                .pricing(Pricing.perMillion(0.15, 0.60)).build())
                        .apiKey(Secret.env("OPENAI_API_KEY")).build())
                .addModel(OpenAiClient.builder(ModelDescriptor.builder("local", "openai", "llama3.1")
                                .contextWindow(8_192).maxOutputTokens(2_048).build())
                        .baseUrl("http://127.0.0.1:8000/v1").build())           // any OpenAI-compatible server
                .routing(RouterConfig.builder().maxAttempts(3).build())
                .build();

        MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("What is a mesh?")).build(),
                CallContext.builder().team("search").timeout(Duration.ofSeconds(20)).build());
        System.out.println(r.text() + "  (" + r.modelId().orElseThrow() + ", " + r.cost() + ")");
        System.out.println(r.decision().orElseThrow().toTable());      // every candidate, scored or rejected, and why

        ChatModel model = mesh.asChatModel();                           // hand this to AiServices and friends
        System.out.println(model.chat("And in one word?"));
        mesh.close();
    }
}
