package dev.llmmesh.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example application on a random port, called over real HTTP: the primary simulated provider is down, so answers
 * come from the backup (a fallback), the primary's breaker opens and its health turns DOWN, the llmmesh endpoint shows
 * the decisions and the team's spend (in this order: the second test runs once the breaker is open), the meters count the calls, and a Spring AI ChatClient answer carries the
 * routing decision.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshSpringExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void askFallsBackTheBreakerOpensAndHealthEndpointAndMetersShowIt() throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = get("/ask?q=How+long+do+refunds+take&team=support");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode answer = json(r);
            assertThat(answer.get("answer").asText()).isEqualTo(SimulatedProviders.ANSWER);
            assertThat(answer.get("model").asText()).isEqualTo("backup");
            assertThat(answer.get("fallback").asBoolean()).isTrue();
            assertThat(answer.get("plan").toString()).isEqualTo("[\"primary\",\"backup\"]");
        }

        HttpResponse<String> health = get("/actuator/health");
        JsonNode models = json(health).path("components").path("llmmesh").path("components");
        assertThat(models.path("primary").path("status").asText()).as(health.body()).isEqualTo("DOWN");
        assertThat(models.path("primary").path("details").path("breaker").asText()).isEqualTo("OPEN");
        assertThat(models.path("backup").path("status").asText()).isEqualTo("UP");
        assertThat(health.statusCode()).as("a DOWN component makes the aggregate DOWN").isEqualTo(503);

        HttpResponse<String> mesh = get("/actuator/llmmesh");
        assertThat(mesh.statusCode()).isEqualTo(200);
        JsonNode view = json(mesh);
        assertThat(view.path("spendByTeam").path("support").path("calls").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(view.path("recentDecisions").get(0).path("fallback").asBoolean()).isTrue();
        assertThat(view.path("catalog").path("models").toString()).contains("gpt-4o-mini");

        HttpResponse<String> meter = get("/actuator/metrics/gen_ai.client.inference.duration?tag=mesh.model:backup");
        assertThat(meter.statusCode()).as(meter.body()).isEqualTo(200);
        assertThat(json(meter).path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(2);
        HttpResponse<String> decisions = get("/actuator/metrics/mesh.router.decisions");
        assertThat(decisions.statusCode()).as(decisions.body()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aSpringAiChatClientAnswerShowsTheRoutingDecision() throws Exception {
        HttpResponse<String> r = get("/ask-ai?q=How+long+do+refunds+take&team=ai-team");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("answer").asText()).isEqualTo(SimulatedProviders.ANSWER);
        assertThat(answer.get("model").asText()).isEqualTo("backup");
        assertThat(answer.get("plan").get(answer.get("plan").size() - 1).asText()).isEqualTo("backup");
        assertThat(json(get("/actuator/llmmesh")).path("spendByTeam").has("ai-team")).isTrue();
    }
}
