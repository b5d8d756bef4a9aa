package dev.llmmesh.providers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Mesh;
import dev.llmmesh.Secret;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.testkit.SimulatedOpenAiServer;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code close()} lets go of the HTTP clients even while the application still holds the mesh. */
class CloseReleasesHttpTest {

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("HttpClient-") && t.getName().endsWith("SelectorManager"))
                .collect(Collectors.toSet());
    }

    @Test
    void closeEndsTheHttpSelectorThreadsWhileTheMeshIsStillReferenced() throws Exception {
        try (SimulatedOpenAiServer server = SimulatedOpenAiServer.builder().apiKey("sk-close").start()) {
            Set<Thread> before = selectorThreads();
            OpenAiClient client = OpenAiClient.builder(ModelDescriptor.builder("m", "openai", "gpt-4o-mini").build())
                    .baseUrl(server.baseUrl()).apiKey(Secret.of("sk-close")).timeout(Duration.ofSeconds(10)).build();
            Mesh mesh = Mesh.builder().addModel(client).build();
            mesh.chat(ChatRequest.builder().messages(UserMessage.from("hello")).build());
            Set<Thread> ours = selectorThreads();
            ours.removeAll(before);
            assertThat(ours).as("selector threads of the mesh's HTTP clients").isNotEmpty();

            mesh.close();

            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ours.stream().anyMatch(Thread::isAlive) && System.nanoTime() < until) {
                System.gc();
                Thread.sleep(100);
            }
            assertThat(ours).as("selector threads alive after close, mesh %s still referenced", mesh)
                    .noneMatch(Thread::isAlive);
        }
    }
}
