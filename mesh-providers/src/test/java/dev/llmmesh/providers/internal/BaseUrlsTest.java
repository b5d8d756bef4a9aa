package dev.llmmesh.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class BaseUrlsTest {

    @Test
    void acceptsHttpsAndLocalHttpServersAndDropsTheTrailingSlash() {
        assertThat(BaseUrls.validate("baseUrl", "https://api.openai.com/v1/")).hasToString("https://api.openai.com/v1");
        assertThat(BaseUrls.validate("baseUrl", "http://localhost:11434/v1")).hasToString("http://localhost:11434/v1");
        assertThat(BaseUrls.validate("baseUrl", "http://127.0.0.1:8000")).hasToString("http://127.0.0.1:8000");
        assertThat(BaseUrls.validate("baseUrl", "http://10.0.0.7:8000/v1")).hasToString("http://10.0.0.7:8000/v1");
        assertThat(BaseUrls.validate("baseUrl", URI.create("HTTPS://example.com"))).hasToString("https://example.com");
        assertThat(BaseUrls.validate("baseUrl", "http://[::1]:8080/v1")).hasToString("http://[::1]:8080/v1");
    }

    @Test
    void rejectsOtherSchemesAndMissingHosts() {
        for (String bad : List.of("file:///etc/passwd", "gopher://example.com/", "ftp://example.com", "example.com/v1",
                "http:///v1", "http://under_score.local/v1")) {
            assertThatThrownBy(() -> BaseUrls.validate("baseUrl", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseUrl ");
        }
    }

    @Test
    void rejectsCredentialsInTheUrlWithoutRepeatingThem() {
        assertThatThrownBy(() -> BaseUrls.validate("baseUrl", "https://user:s3cr3t-pass@api.openai.com/v1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("credentials")
                .hasMessageNotContaining("s3cr3t-pass");
    }

    @Test
    void rejectsQueriesAndFragmentsBecauseKeysNeverTravelInUrls() {
        assertThatThrownBy(() -> BaseUrls.validate("baseUrl", "https://api.example.com/v1?key=AIzaSyCanary"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query")
                .hasMessageNotContaining("AIzaSyCanary");
        assertThatThrownBy(() -> BaseUrls.validate("baseUrl", "https://api.example.com/v1#x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scenario33_metadataAndObfuscatedAddressesAreRejectedAsBaseUrls() {
        for (String bad : List.of("http://169.254.169.254/latest", "http://[::ffff:169.254.169.254]/",
                "http://[::ffff:a9fe:a9fe]/", "http://2852039166/", "http://0xA9FEA9FE/",
                "http://0251.0376.0251.0376/", "http://metadata.google.internal/computeMetadata/v1",
                "http://metadata.google.internal./", "http://0.0.0.0:8080", "http://[fe80::1]/", "http://224.0.0.1/",
                "http://127.1/", "http://017.0.0.1/")) {
            assertThatThrownBy(() -> BaseUrls.validate("baseUrl", bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void originMakesTheDefaultPortExplicit() {
        assertThat(BaseUrls.origin(URI.create("https://API.openai.com/v1"))).isEqualTo("https://api.openai.com:443");
        assertThat(BaseUrls.origin(URI.create("http://localhost/v1"))).isEqualTo("http://localhost:80");
        assertThat(BaseUrls.origin(URI.create("http://localhost:8080/v1"))).isEqualTo("http://localhost:8080");
    }
}
