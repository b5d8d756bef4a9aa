package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.net.HostRules;
import dev.llmmesh.providers.anthropic.AnthropicClient;
import dev.llmmesh.providers.azure.AzureOpenAiClient;
import dev.llmmesh.providers.gemini.GeminiClient;
import dev.llmmesh.providers.mistral.MistralClient;
import dev.llmmesh.providers.ollama.OllamaClient;
import dev.llmmesh.providers.ollama.OllamaEmbeddingClient;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.providers.openai.OpenAiEmbeddingClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Base URLs of every provider client pass the one set of host rules, before and after resolution. */
class HostRulesProvidersTest {
    private static final List<String> DISGUISED_METADATA = List.of("http://[::169.254.169.254]/v1",
            "http://[fd00:ec2::254]/v1", "http://100.100.100.200/v1", "http://192.0.0.192/v1",
            "http://[64:ff9b::a9fe:a9fe]/v1", "http://[64:ff9b::169.254.169.254]/v1", "http://[2002:a9fe:a9fe::1]/v1",
            "http://[2001:0:4136:e378:8000:63bf:5601:5601]/v1", "http://[::ffff:a9fe:a9fe]/v1",
            "http://169.254.169.254/v1", "http://2852039166/v1", "http://metadata.google.internal/v1");

    private static final List<Consumer<String>> BUILDERS = List.of(
            url -> OpenAiClient.builder("m", "gpt-4o-mini").baseUrl(url),
            url -> AzureOpenAiClient.builder("m", "gpt-4o-mini").baseUrl(url),
            url -> AnthropicClient.builder("m", "claude-3-5-haiku-latest").baseUrl(url),
            url -> GeminiClient.builder("m", "gemini-2.0-flash").baseUrl(url),
            url -> MistralClient.builder("m", "mistral-small-latest").baseUrl(url),
            url -> OllamaClient.builder("m", "llama3.1").baseUrl(url),
            url -> OpenAiEmbeddingClient.builder("text-embedding-3-small").baseUrl(java.net.URI.create(url)),
            url -> OllamaEmbeddingClient.builder("nomic-embed-text").baseUrl(java.net.URI.create(url)));

    @Test
    void scenario43_everyProviderBuilderRefusesMetadataAddressesInEveryForm() {
        for (Consumer<String> builder : BUILDERS) {
            for (String url : DISGUISED_METADATA) {
                assertThatThrownBy(() -> builder.accept(url)).as(url).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("baseUrl ");
            }
            builder.accept("http://127.0.0.1:11434/v1"); // local model servers stay allowed
            builder.accept("http://10.0.0.7:8000/v1");
            builder.accept("http://[::1]:8000/v1");
        }
    }

    private static HostRules.Resolver dns(Map<String, String> answers, AtomicInteger lookups) {
        return host -> {
            lookups.incrementAndGet();
            String a = answers.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByAddress(host, HostRules.literal(a).orElseThrow().getAddress()));
        };
    }

    @Test
    void scenario43_aBaseUrlNameThatResolvesToAMetadataAddressIsNeverConnectedTo() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("hi").start()) {
            AtomicInteger lookups = new AtomicInteger();
            HostRules rules = HostRules.localServersAllowed().withResolver(dns(Map.of(
                    "imds.example.test", "169.254.169.254", "alibaba.example.test", "100.100.100.200",
                    "nat64.example.test", "64:ff9b::a9fe:a9fe", "aws6.example.test", "fd00:ec2::254"), lookups));
            for (String host : List.of("imds.example.test", "alibaba.example.test", "nat64.example.test",
                    "aws6.example.test")) {
                try (OpenAiClient client = OpenAiClient.builder("m", "gpt-4o-mini")
                        .baseUrl("http://" + host + ":" + server.port() + "/v1").hostRules(rules)
                        .timeout(Duration.ofSeconds(5)).build()) {
                    assertThatThrownBy(() -> client.chat(ChatRequest.builder().messages(UserMessage.from("x"))
                            .build())).as(host)
                            .isInstanceOfSatisfying(NonRetryableException.class, e -> assertThat(e.kind())
                                    .isEqualTo(ErrorKind.BAD_REQUEST))
                            .hasMessageContaining("host " + host + " is refused: resolves to a cloud metadata address");
                }
            }
            assertThat(lookups).hasValue(4);
            assertThat(server.requestCount()).isZero();
        }
    }

    @Test
    void scenario43_aPlainHttpBaseUrlNameIsConnectedToAtTheAddressTheRulesJudged() {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().defaultAnswer("pinned").start()) {
            AtomicInteger lookups = new AtomicInteger();
            // the name exists only in this resolver: the JDK's own lookup of it would fail
            HostRules rules = HostRules.localServersAllowed()
                    .withResolver(dns(Map.of("models.example.test", "127.0.0.1"), lookups));
            try (OpenAiClient client = OpenAiClient.builder("m", "gpt-4o-mini")
                    .baseUrl("http://models.example.test:" + server.port() + "/v1").hostRules(rules)
                    .timeout(Duration.ofSeconds(5)).build()) {
                ChatRequest ask = ChatRequest.builder().messages(UserMessage.from("x")).build();
                assertThat(client.chat(ask).aiMessage().text()).isEqualTo("pinned");
                assertThat(client.chat(ask).aiMessage().text()).isEqualTo("pinned");
            }
            assertThat(lookups).as("judged before every request").hasValue(2);
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(server.lastRequest().orElseThrow().header("host").orElseThrow())
                    .isEqualTo("models.example.test:" + server.port());
        }
    }
}
