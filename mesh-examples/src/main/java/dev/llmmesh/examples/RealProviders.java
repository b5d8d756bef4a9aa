package dev.llmmesh.examples;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.providers.ModelFacts;
import dev.llmmesh.providers.PriceTable;
import dev.llmmesh.providers.Providers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Real providers, with whichever keys are in the environment: one mesh over every provider that has a key, a question
 * to each model, a streamed answer, a tool call, and the cost of each call from the built-in price table. With no key
 * set it changes nothing and calls nothing: it says which variables it looks for and what it would do with each,
 * prints the table's facts for those models, and exits 0 (so it runs offline).
 *
 * <pre>
 * OPENAI_API_KEY                             -> openai    gpt-4o-mini
 * ANTHROPIC_API_KEY                          -> anthropic claude-haiku-4-5
 * GEMINI_API_KEY (or GOOGLE_API_KEY)         -> gemini    gemini-2.5-flash
 * MISTRAL_API_KEY                            -> mistral   mistral-small-latest
 * GROQ_API_KEY                               -> openai-compatible https://api.groq.com/openai/v1, llama-3.1-8b-instant
 * AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT (+ AZURE_OPENAI_DEPLOYMENT) -> azure gpt-4o-mini
 * OLLAMA_BASE_URL (e.g. http://localhost:11434, + OLLAMA_MODEL)          -> ollama llama3.1
 * </pre>
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=RealProviders}. Keys are read
 * with {@link Secret#env(String)}: they are never printed (every client's {@code toString} masks them).
 */
public final class RealProviders {
    private RealProviders() {
    }

    /**
     * One provider the example can use.
     *
     * @param enabledBy the variables that enable it, as shown to the user
     * @param available whether the environment enables it
     * @param build     how to build its client from the environment
     */
    private record Candidate(String provider, String model, String enabledBy, boolean available,
                             Function<Function<String, @Nullable String>, LlmClient> build) {
    }

    private static boolean present(Function<String, @Nullable String> env, String name) {
        String v = env.apply(name);
        return v != null && !v.isBlank();
    }

    private static String orDefault(Function<String, @Nullable String> env, String name, String fallback) {
        return present(env, name) ? env.apply(name) : fallback;
    }

    private static List<Candidate> candidates(Function<String, @Nullable String> env) {
        return List.of(
                new Candidate("openai", "gpt-4o-mini", "OPENAI_API_KEY", present(env, "OPENAI_API_KEY"),
                        e -> Providers.openAi("gpt-4o-mini").apiKey(Secret.env("OPENAI_API_KEY", e::apply)).build()),
                new Candidate("anthropic", "claude-haiku-4-5", "ANTHROPIC_API_KEY", present(env, "ANTHROPIC_API_KEY"),
                        e -> Providers.anthropic("claude-haiku-4-5").apiKey(Secret.env("ANTHROPIC_API_KEY", e::apply))
                                .defaultMaxTokens(512).build()),
                new Candidate("gemini", "gemini-2.5-flash", "GEMINI_API_KEY (or GOOGLE_API_KEY)",
                        present(env, "GEMINI_API_KEY") || present(env, "GOOGLE_API_KEY"),
                        e -> Providers.gemini("gemini-2.5-flash").apiKey(Secret.env(
                                present(e, "GEMINI_API_KEY") ? "GEMINI_API_KEY" : "GOOGLE_API_KEY", e::apply)).build()),
                new Candidate("mistral", "mistral-small-latest", "MISTRAL_API_KEY", present(env, "MISTRAL_API_KEY"),
                        e -> Providers.mistral("mistral-small-latest").apiKey(Secret.env("MISTRAL_API_KEY", e::apply))
                                .build()),
                new Candidate("openai", "llama-3.1-8b-instant", "GROQ_API_KEY", present(env, "GROQ_API_KEY"),
                        e -> Providers.openAiCompatible("groq-llama-3.1-8b", "llama-3.1-8b-instant",
                                "https://api.groq.com/openai/v1").apiKey(Secret.env("GROQ_API_KEY", e::apply)).build()),
                new Candidate("azure", "gpt-4o-mini", "AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT",
                        present(env, "AZURE_OPENAI_API_KEY") && present(env, "AZURE_OPENAI_ENDPOINT"),
                        e -> Providers.azureOpenAi("gpt-4o-mini").baseUrl(e.apply("AZURE_OPENAI_ENDPOINT"))
                                .deployment(orDefault(e, "AZURE_OPENAI_DEPLOYMENT", "gpt-4o-mini"))
                                .apiKey(Secret.env("AZURE_OPENAI_API_KEY", e::apply)).build()),
                new Candidate("ollama", orDefault(env, "OLLAMA_MODEL", "llama3.1"), "OLLAMA_BASE_URL",
                        present(env, "OLLAMA_BASE_URL"),
                        e -> Providers.ollama(orDefault(e, "OLLAMA_MODEL", "llama3.1"))
                                .baseUrl(e.apply("OLLAMA_BASE_URL")).build()));
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(System::getenv));
    }

    /** Runs the example with {@code env} as the environment; returns the exit code. */
    static int run(Function<String, @Nullable String> env) throws Exception {
        List<Candidate> all = candidates(env);
        List<Candidate> available = all.stream().filter(Candidate::available).toList();
        if (available.isEmpty()) {
            explain(all);
            return 0;
        }
        List<LlmClient> clients = new ArrayList<>();
        for (Candidate c : available) {
            try {
                clients.add(c.build.apply(env));
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.out.println("skipping " + c.provider + "/" + c.model + ": " + e.getMessage());
            }
        }
        try (Mesh mesh = build(clients)) {
            System.out.println("== One question to each model ==");
            for (LlmClient client : clients) {
                ask(mesh, client);
            }
            LlmClient first = clients.get(0);
            System.out.println();
            System.out.println("== A streamed answer from " + first.descriptor().id() + " ==");
            stream(mesh, first);
            System.out.println();
            System.out.println("== A tool call through the mesh (the router picks a model with tools) ==");
            tool(mesh);
        }
        return 0;
    }

    private static Mesh build(List<LlmClient> clients) {
        var builder = Mesh.builder();
        clients.forEach(builder::addModel);
        return builder.build();
    }

    private static void ask(Mesh mesh, LlmClient client) {
        ChatRequest request = ChatRequest.builder().modelName(client.descriptor().id())
                .messages(UserMessage.from("In one sentence: what is a service mesh?")).maxOutputTokens(200).build();
        try {
            MeshResponse r = mesh.chat(request, CallContext.EMPTY);
            TokenCounts t = TokenCounts.of(r.chatResponse().tokenUsage());
            System.out.printf("%-28s %s%n%-28s tokens in=%d (cached %d) out=%d (reasoning %d), cost %s, %d ms%n",
                    client.descriptor().id(), r.text().strip(), "", t.input(), t.cachedInput(), t.output(),
                    t.reasoning(), r.cost(), r.latency().toMillis());
        } catch (MeshException e) {
            System.out.printf("%-28s failed: %s (%s)%n", client.descriptor().id(), e.getMessage(), e.kind().code());
        }
    }

    private static void stream(Mesh mesh, LlmClient client) throws Exception {
        ChatRequest request = ChatRequest.builder().modelName(client.descriptor().id())
                .messages(UserMessage.from("Count from one to five in words.")).maxOutputTokens(100).build();
        try {
            MeshResponse r = mesh.stream(request, CallContext.EMPTY, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    System.out.print(partial.text());
                    System.out.flush();
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    System.out.println();
                }

                @Override
                public void onError(Throwable error) {
                    System.out.println();
                }
            }).get(120, TimeUnit.SECONDS);
            System.out.println("finish " + r.chatResponse().finishReason() + ", cost " + r.cost());
        } catch (java.util.concurrent.ExecutionException e) {
            System.out.println("stream failed: " + e.getCause().getMessage());
        }
    }

    private static void tool(Mesh mesh) {
        ToolSpecification weather = ToolSpecification.builder().name("get_weather")
                .description("Current weather for a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("What is the weather in Oslo right now?"))
                .toolSpecifications(weather).build();
        try {
            MeshResponse r = mesh.chat(request, CallContext.EMPTY);
            System.out.println(r.modelId().orElse("?") + " -> " + (r.chatResponse().aiMessage().hasToolExecutionRequests()
                    ? r.chatResponse().aiMessage().toolExecutionRequests() : r.text()));
        } catch (MeshException e) {
            System.out.println("tool call failed: " + e.getMessage());
        }
    }

    private static void explain(List<Candidate> all) {
        PriceTable table = PriceTable.builtIn();
        System.out.println("No provider key is set, so nothing is called. Set any of these and run again:");
        System.out.println();
        for (Candidate c : all) {
            String facts = table.find(c.provider, c.model).map(RealProviders::describe)
                    .orElse("not in the built-in table: cost unknown unless you set a price");
            System.out.printf("  %-48s -> %s %s%n      %s%n", c.enabledBy, c.provider, c.model, facts);
        }
        System.out.println();
        System.out.println("With keys set, it builds one mesh over those providers, asks each model one question");
        System.out.println("(printing the answer, token usage with cached and reasoning tokens, and the cost from the");
        System.out.println("price table), streams one answer, and makes one tool call the router places on a model");
        System.out.println("with the 'tools' capability. Keys travel only in each provider's header.");
        System.out.println("Price table: " + table.size() + " models, " + table.source() + ", " + table.sourceDate());
    }

    private static String describe(ModelFacts f) {
        return f.pricing().map(p -> "$" + p.inputPerMillion().stripTrailingZeros().toPlainString() + " in / $"
                + p.outputPerMillion().stripTrailingZeros().toPlainString() + " out per million tokens"
                + p.cachedInputPerMillion().map(c -> ", cached $" + c.stripTrailingZeros().toPlainString()).orElse(""))
                .orElse("no price listed") + "; context " + f.contextWindow() + ", capabilities "
                + f.capabilities().stream().map(c -> c.configName()).sorted().toList();
    }
}
