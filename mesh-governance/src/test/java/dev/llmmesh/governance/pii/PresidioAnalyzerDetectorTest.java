package dev.llmmesh.governance.pii;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.llmmesh.governance.guardrail.FailMode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Presidio Analyzer detector against WireMock speaking Presidio's REST format on 127.0.0.1. */
class PresidioAnalyzerDetectorTest {
    private static WireMockServer presidio;

    @BeforeAll
    static void start() {
        presidio = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(8).jettyAcceptors(1));
        presidio.start();
    }

    @AfterAll
    static void stop() {
        presidio.stop();
    }

    @BeforeEach
    void reset() {
        presidio.resetAll();
    }

    private static URI base() {
        return URI.create("http://127.0.0.1:" + presidio.port() + "/");
    }

    private static void answer(int status, String body) {
        presidio.stubFor(post(urlEqualTo("/analyze")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void presidioResultsBecomeMeshSpansAboveTheMinimumScoreAndTheRequestCarriesTextAndLanguage() {
        String text = "Ann Lee lives in Paris, mail ann@example.com";
        answer(200, """
                [{"entity_type": "PERSON", "start": 0, "end": 7, "score": 0.85,
                  "analysis_explanation": null, "recognition_metadata": {"recognizer_name": "SpacyRecognizer"}},
                 {"entity_type": "LOCATION", "start": 17, "end": 22, "score": 0.3},
                 {"entity_type": "EMAIL_ADDRESS", "start": 29, "end": 44, "score": 1.0},
                 {"entity_type": "SHOE_SIZE", "start": 0, "end": 3, "score": 0.99},
                 {"entity_type": "URL", "start": 33, "end": 99, "score": 0.5},
                 {"entity_type": "PHONE_NUMBER", "start": 60, "end": 70, "score": 0.9}]
                """);
        PresidioAnalyzerDetector d = PresidioAnalyzerDetector.builder(base()).language("en").minScore(0.5)
                .timeout(Duration.ofSeconds(10)).build();

        List<PiiSpan> spans = d.detect(text);

        // LOCATION under the minimum score, SHOE_SIZE unmapped, PHONE_NUMBER wholly outside the text: dropped;
        // URL reaching past the end clipped to the text, overlapping the e-mail (the scanner resolves that)
        assertThat(spans).containsExactly(new PiiSpan(EntityType.PERSON, 0, 7, 0.85),
                new PiiSpan(EntityType.EMAIL, 29, 44, 1.0), new PiiSpan(EntityType.DOMAIN_NAME, 33, 44, 0.5));
        assertThat(PiiScanner.builder().add(d).build().scan(text)).extracting(PiiSpan::type)
                .containsExactly(EntityType.PERSON, EntityType.EMAIL);
        presidio.verify(postRequestedFor(urlEqualTo("/analyze"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"text\": \"" + text + "\", \"language\": \"en\", "
                        + "\"score_threshold\": 0.5}")));
        assertThat(d.types()).contains(EntityType.PERSON, PresidioAnalyzerDetector.LOCATION, EntityType.EMAIL);
    }

    @Test
    void requestedEntitiesAreSentAndCodePointOffsetsBecomeCharOffsets() {
        String text = "\uD83D\uDE00 hi Ann"; // an emoji (two chars, one code point) before the name
        answer(200, "[{\"entity_type\": \"PERSON\", \"start\": 5, \"end\": 8, \"score\": 0.9},"
                + "{\"entity_type\": \"UK_NHS\", \"start\": 0, \"end\": 1, \"score\": 0.9}]");
        PresidioAnalyzerDetector d = PresidioAnalyzerDetector.builder(base()).language("de").entities("PERSON")
                .minScore(0).build();

        assertThat(d.detect(text)).containsExactly(new PiiSpan(EntityType.PERSON, 6, 9, 0.9));
        assertThat(text.substring(6, 9)).isEqualTo("Ann");
        assertThat(d.types()).containsExactly(EntityType.PERSON);
        presidio.verify(postRequestedFor(urlEqualTo("/analyze")).withRequestBody(equalToJson(
                "{\"text\": \"" + text + "\", \"language\": \"de\", \"entities\": [\"PERSON\"]}")));
    }

    @Test
    void anAnalyzerThatIsDownFailsClosedNamingItsUrlOrIsSkippedWhenFailOpen() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI down = URI.create("http://127.0.0.1:" + port);
        String text = "secret text of Ann, ann@example.com";

        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(down).build().detect(text))
                .isInstanceOf(PiiDetectionException.class)
                .hasMessageContaining("http://127.0.0.1:" + port + "/analyze").hasMessageContaining("fails closed")
                .hasMessageNotContaining("secret text").hasMessageNotContaining("ann@example.com");

        PresidioAnalyzerDetector open = PresidioAnalyzerDetector.builder(down).failMode(FailMode.OPEN).build();
        assertThat(open.detect(text)).isEmpty();
        // the other detectors of the scanner still run
        assertThat(PiiScanner.builder().add(PiiDetectors.builtIn()).add(open).build().scan(text))
                .extracting(PiiSpan::type).containsExactly(EntityType.EMAIL);
    }

    @Test
    void garbageErrorStatusesAndOversizeAnswersAreFailures() {
        PresidioAnalyzerDetector d = PresidioAnalyzerDetector.builder(base()).maxResponseBytes(1000).build();
        for (String garbage : List.of("<html>oops</html>", "{\"entity_type\": \"PERSON\"}",
                "[{\"entity_type\": \"PERSON\", \"start\": \"0\", \"end\": 3, \"score\": 0.9}]", "[42]")) {
            answer(200, garbage);
            assertThatThrownBy(() -> d.detect("Ann")).as(garbage).isInstanceOf(PiiDetectionException.class)
                    .hasMessageContaining("answer is not");
        }
        answer(500, "{\"error\": \"No matching recognizers\"}");
        assertThatThrownBy(() -> d.detect("Ann")).hasMessageContaining("answered HTTP 500");

        answer(200, "[" + "{\"entity_type\": \"PERSON\", \"start\": 0, \"end\": 3, \"score\": 0.9},".repeat(40)
                + "{\"entity_type\": \"PERSON\", \"start\": 0, \"end\": 3, \"score\": 0.9}]");
        assertThatThrownBy(() -> d.detect("Ann")).isInstanceOf(PiiDetectionException.class)
                .hasMessageContaining("larger than 1000 bytes");
        // the same answer under the default 1 MiB cap is fine
        assertThat(PresidioAnalyzerDetector.builder(base()).build().detect("Ann")).hasSize(41);

        PresidioAnalyzerDetector open = PresidioAnalyzerDetector.builder(base()).failMode(FailMode.OPEN).build();
        answer(200, "not json");
        assertThat(open.detect("Ann")).isEmpty();
    }

    @Test
    void anAnalyzerSlowerThanTheTimeoutIsAFailure() {
        presidio.stubFor(post(urlEqualTo("/analyze")).willReturn(aResponse().withStatus(200).withBody("[]")
                .withFixedDelay(1500)));
        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(base()).timeout(Duration.ofMillis(100)).build()
                .detect("Ann")).isInstanceOf(PiiDetectionException.class)
                .hasMessageContaining("no answer within 100 ms");
    }

    @Test
    void metadataAddressesAndUrlsWithCredentialsAreRefusedAtBuild() {
        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(URI.create("http://169.254.169.254")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(URI.create("http://metadata.google.internal/"))
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cloud metadata");
        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(URI.create("http://u:p@localhost:5002")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user info");
        assertThatThrownBy(() -> PresidioAnalyzerDetector.builder(URI.create("file:///etc/passwd")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PresidioAnalyzerDetector.builder(URI.create("http://localhost:5002/presidio/")).build()
                .analyzeUrl()).hasToString("http://localhost:5002/presidio/analyze");
    }
}
