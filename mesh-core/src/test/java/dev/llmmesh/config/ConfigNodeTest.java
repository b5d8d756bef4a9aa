package dev.llmmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.DataClass;
import dev.llmmesh.Secret;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigNodeTest {
    private static final String CANARY = "sk-canary-7f3a9c2e41d84b6a";
    private static final Map<String, String> ENV = Map.of("HOST", "api.example.com", "N", "42", "FLAG", "true",
            "API_KEY", CANARY, "SELF", "${HOST}", "EMPTY", "");

    private static ConfigNode yaml(String text) {
        return ConfigNode.fromYaml(text, ENV::get);
    }

    @Test
    void typedGettersReadEveryKindOfValue() {
        ConfigNode n = yaml("""
                name: search
                count: 7
                big: 12345678901
                ratio: 0.25
                price: 1.10
                on: true
                timeout: 30s
                url: https://api.example.com/v1
                dataClass: confidential
                tags: [a, b, 3]
                headers: {x-team: search, x-retries: 2}
                at: 2025-01-15T10:00:00Z
                day: 2025-01-15
                """);

        assertThat(n.string("name")).isEqualTo("search");
        assertThat(n.integer("count", 1)).isEqualTo(7);
        assertThat(n.longInteger("big", 0, 0)).isEqualTo(12_345_678_901L);
        assertThat(n.number("ratio", 0)).isEqualTo(0.25);
        assertThat(n.decimal("price", BigDecimal.ZERO)).isEqualTo(new BigDecimal("1.10"));
        assertThat(n.bool("on")).isTrue();
        assertThat(n.duration("timeout")).isEqualTo(Duration.ofSeconds(30));
        assertThat(n.url("url")).isEqualTo(URI.create("https://api.example.com/v1"));
        assertThat(n.enumValue("dataClass", DataClass.class)).isEqualTo(DataClass.CONFIDENTIAL);
        assertThat(n.stringList("tags")).containsExactly("a", "b", "3");
        assertThat(n.stringMap("headers")).containsExactly(Map.entry("x-team", "search"), Map.entry("x-retries", "2"));
        assertThat(n.optionalInstant("at")).contains(Instant.parse("2025-01-15T10:00:00Z"));
        assertThat(n.optionalInstant("day")).contains(Instant.parse("2025-01-15T00:00:00Z"));
        n.requireNoUnknownKeys();
    }

    @Test
    void absentKeysGiveDefaultsEmptyOptionalsAndEmptyCollections() {
        ConfigNode n = yaml("present: x\nblank:\n");

        assertThat(n.string("missing", "dflt")).isEqualTo("dflt");
        assertThat(n.integer("missing", 5, 1)).isEqualTo(5);
        assertThat(n.optionalDuration("missing")).isEmpty();
        assertThat(n.optionalString("blank")).as("a key written without a value counts as absent").isEmpty();
        assertThat(n.stringList("missing")).isEmpty();
        assertThat(n.stringMap("missing")).isEmpty();
        assertThat(n.nodeList("missing")).isEmpty();
        assertThat(n.optionalChild("missing")).isEmpty();
        assertThat(n.has("blank")).isFalse();
        assertThat(n.has("present")).isTrue();
    }

    @Test
    void requiredKeyThatIsMissingNamesItsPathAndTheMappingLine() {
        ConfigNode n = yaml("outer:\n  inner:\n    a: 1\n");

        assertThatThrownBy(() -> n.child("outer").child("inner").string("name"))
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("outer.inner.name: required key is missing; expected a non-empty string "
                        + "(in the mapping at line 2)")
                .extracting(e -> ((MeshConfigException) e).path()).isEqualTo("outer.inner.name");
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "2d, PT48H", "PT30S, PT30S", "pt1m, PT1M",
            "'0s', PT0S"})
    void durationsAcceptShortUnitsAndIso8601(String written, String expected) {
        assertThat(yaml("d: " + written).duration("d")).isEqualTo(Duration.parse(expected));
    }

    @Test
    void aBareNumberIsNotADurationAndTheMessageAsksForAUnit() {
        assertThatThrownBy(() -> yaml("timeout: 30").duration("timeout"))
                .hasMessage("timeout: expected a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got 30; "
                        + "add a unit, e.g. 30s (line 1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"30 seconds", "-5s", "1.5s", "PT-5S", "soon"})
    void malformedDurationsAreRejectedWithTheAcceptedForms(String written) {
        assertThatThrownBy(() -> yaml("a:\n  timeout: \"" + written + "\"").child("a").duration("timeout"))
                .hasMessage("a.timeout: expected a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, got \""
                        + written + "\" (line 2)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://x|scheme \"ftp\" is not allowed; expected an http(s) URL with a host, such as "
                    + "https://api.example.com/v1, got \"ftp://x\"",
            "not a url|expected an http(s) URL with a host, such as https://api.example.com/v1, got \"not a url\"",
            "localhost:8080|expected an http(s) URL with a host, such as https://api.example.com/v1, got "
                    + "\"localhost:8080\"",
            "file:///etc/passwd|scheme \"file\" is not allowed; expected an http(s) URL with a host, such as "
                    + "https://api.example.com/v1, got \"file:///etc/passwd\"",
            "http:///v1|expected an http(s) URL with a host, such as https://api.example.com/v1, got \"http:///v1\" "
                    + "(it has no host)",
            "https://bob:pw@api.example.com|user info in a URL is not allowed (credentials must not sit in URLs); "
                    + "remove the part before '@' and configure the key as apiKey"})
    void urlsMustBeHttpOrHttpsWithAHostAndNoCredentials(String written, String problem) {
        assertThatThrownBy(() -> yaml("baseUrl: \"" + written + "\"").url("baseUrl"))
                .hasMessage("baseUrl: " + problem + " (line 1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "2852039166", "0xA9FEA9FE", "0251.0376.0251.0376", "169.254.169.254.",
            "[::ffff:169.254.169.254]", "[fe80::1]", "[fd00:ec2::254]", "metadata.google.internal", "METADATA",
            "[::169.254.169.254]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::]", "100.100.100.200", "192.0.0.192",
            "[2001:0:4136:e378:8000:63bf:5601:5601]"})
    void scenario43_urlPointingAtCloudMetadataIsRejectedInEverySpelling(String host) {
        assertThatThrownBy(() -> yaml("baseUrl: http://" + host + "/latest/meta-data").url("baseUrl"))
                .hasMessageStartingWith("baseUrl: host ")
                .hasMessageMatching("(?s).*is refused \\((cloud metadata|link-local) address.*\\); base URLs may not "
                        + "point at it.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/v1", "http://localhost:11434", "https://10.1.2.3", "http://[::1]:9000",
            "https://my-resource.openai.azure.com/openai"})
    void loopbackPrivateAndPublicHostsAreAllowed(String url) {
        assertThat(yaml("baseUrl: " + url).url("baseUrl")).isEqualTo(URI.create(url));
    }

    @Test
    void enumsAreReadByLowercaseNameAndErrorsListTheValidNamesWithASuggestion() {
        assertThat(yaml("c: Restricted").enumValue("c", DataClass.class)).isEqualTo(DataClass.RESTRICTED);
        assertThatThrownBy(() -> yaml("c: confidental").enumValue("c", DataClass.class))
                .hasMessage("c: expected one of public, internal, confidential, restricted, got \"confidental\" "
                        + "(did you mean \"confidential\"?) (line 1)");
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasFound() {
        ConfigNode n = yaml("""
                count: lots
                ratio: -1
                price: cheap
                flag: 1
                list: single
                map: [a]
                child: 3
                """);

        assertThatThrownBy(() -> n.integer("count", 1))
                .hasMessage("count: expected an integer >= 1, got \"lots\" (line 1)");
        assertThatThrownBy(() -> n.number("ratio", 0)).hasMessage("ratio: expected a number >= 0, got -1 (line 2)");
        assertThatThrownBy(() -> n.decimal("price", BigDecimal.ZERO))
                .hasMessage("price: expected a number >= 0, got \"cheap\" (line 3)");
        assertThatThrownBy(() -> n.bool("flag")).hasMessage("flag: expected true or false, got 1 (line 4)");
        assertThatThrownBy(() -> n.stringList("list"))
                .hasMessage("list: expected a list of strings, got \"single\"; write [single] for a list of one (line 5)");
        assertThatThrownBy(() -> n.stringMap("map")).hasMessage("map: expected a mapping of strings, got a list (line 6)");
        assertThatThrownBy(() -> n.child("child"))
                .hasMessage("child: expected a mapping (key: value lines), got 3 (line 7)");
    }

    @Test
    void integersOutsideTheirRangeAreRejected() {
        ConfigNode n = yaml("small: 0\nhuge: 99999999999\nfraction: 2.5\n");

        assertThatThrownBy(() -> n.integer("small", 1)).hasMessage("small: expected an integer >= 1, got 0 (line 1)");
        assertThatThrownBy(() -> n.integer("huge", 0))
                .hasMessage("huge: expected an integer <= 2147483647, got 99999999999 (line 2)");
        assertThatThrownBy(() -> n.integer("fraction", 0))
                .hasMessage("fraction: expected an integer >= 0, got 2.5 (line 3)");
    }

    @Test
    void yesNoOnAndOffAreStringsNotBooleans() {
        ConfigNode n = yaml("region: no\nenabled: yes\n");

        assertThat(n.string("region")).isEqualTo("no");
        assertThatThrownBy(() -> n.bool("enabled")).hasMessage("enabled: expected true or false, got \"yes\" (line 2)");
    }

    @Test
    void listElementErrorsNameTheElementPath() {
        ConfigNode n = yaml("tags:\n  - fast\n  - {nested: 1}\n");

        assertThatThrownBy(() -> n.stringList("tags"))
                .hasMessage("tags[1]: expected a non-empty string, got a mapping (line 3)");
    }

    @Test
    void environmentVariablesAreSubstitutedInStringsNumbersAndBooleans() {
        ConfigNode n = yaml("""
                url: https://${HOST}/v1
                fallback: ${UNSET_VAR:-eu-west}
                emptyFallback: ${EMPTY:-used}
                literal: price is $${NOT_A_VAR}
                count: ${N}
                enabled: ${FLAG}
                list: ["${HOST}", x]
                map: {h: "${HOST}"}
                """);

        assertThat(n.url("url")).isEqualTo(URI.create("https://api.example.com/v1"));
        assertThat(n.string("fallback")).isEqualTo("eu-west");
        assertThat(n.string("emptyFallback")).isEqualTo("used");
        assertThat(n.string("literal")).isEqualTo("price is ${NOT_A_VAR}");
        assertThat(n.integer("count", 0)).isEqualTo(42);
        assertThat(n.bool("enabled")).isTrue();
        assertThat(n.stringList("list")).containsExactly("api.example.com", "x");
        assertThat(n.stringMap("map")).containsEntry("h", "api.example.com");
    }

    @Test
    void substitutedValuesAreNeverExpandedAgain() {
        assertThat(yaml("v: ${SELF}").string("v")).isEqualTo("${HOST}");
    }

    @Test
    void anUnsetVariableWithoutDefaultNamesThePathAndTheVariable() {
        assertThatThrownBy(() -> yaml("p:\n  host: ${MISSING_HOST}\n").child("p").string("host"))
                .hasMessage("p.host: environment variable MISSING_HOST is not set; export it, or give a default "
                        + "with ${MISSING_HOST:-value} (line 2)");
    }

    @Test
    void malformedReferencesAreRejected() {
        assertThatThrownBy(() -> yaml("v: ${OOPS").string("v"))
                .hasMessage("v: unterminated ${ in the value; write ${NAME} or ${NAME:-default}, or $${ for a "
                        + "literal ${ (line 1)");
        assertThatThrownBy(() -> yaml("v: ${1BAD}").string("v"))
                .hasMessage("v: invalid environment variable reference ${1BAD}; write ${NAME} or ${NAME:-default} "
                        + "with NAME made of letters, digits and _ (line 1)");
    }

    @Test
    void aNumberFromTheEnvironmentThatIsNotANumberIsShownAsWrittenNotAsSubstituted() {
        assertThatThrownBy(() -> yaml("count: ${HOST}").integer("count", 0))
                .hasMessage("count: expected an integer >= 0, got \"${HOST}\" (the substituted value is not a number) "
                        + "(line 1)");
    }

    @Test
    void scenario34_secretsFromTheEnvironmentNeverReachMessagesOrToString() {
        ConfigNode n = yaml("""
                apiKey: ${API_KEY}
                baseUrl: ${API_KEY}
                count: ${API_KEY}
                """);

        Secret secret = n.secret("apiKey");
        assertThat(secret.reveal()).isEqualTo(CANARY);
        assertThat(secret.source()).isEqualTo("env:API_KEY");
        assertThat(secret.toString()).doesNotContain(CANARY);
        assertThat(n.toString()).isEqualTo("ConfigNode[(root), keys=[apiKey, baseUrl, count]]");
        assertThatThrownBy(() -> n.url("baseUrl"))
                .hasMessageNotContaining(CANARY).hasMessageNotContaining("canary")
                .hasMessage("baseUrl: expected an http(s) URL with a host, such as https://api.example.com/v1, "
                        + "got \"${API_KEY}\" (line 2)");
        assertThatThrownBy(() -> n.integer("count", 0)).hasMessageNotContaining("canary");
    }

    @Test
    void scenario34_literalValuesOfSecretLookingKeysAreNeverQuotedInMessages() {
        ConfigNode n = yaml("""
                apiKey: [sk-canary-in-a-list]
                accessToken: sk-canary-literal-token
                password: ""
                """);

        assertThatThrownBy(() -> n.secret("apiKey"))
                .hasMessage("apiKey: expected a secret string such as ${API_KEY}, got a list (line 1)");
        assertThatThrownBy(() -> n.integer("accessToken", 0))
                .hasMessage("accessToken: expected an integer >= 0, got a string of 23 characters (line 2)");
        assertThatThrownBy(() -> n.secret("password"))
                .hasMessage("password: expected a non-empty secret such as ${API_KEY}, got an empty value (line 3)");
    }

    @Test
    void scenario34_credentialLookingValuesAreNotQuotedEvenUnderOrdinaryKeys() {
        String openAi = "sk-proj-4f8a2c9e1b7d";
        String aws = "AKIAIOSFODNN7EXAMPLE";
        String azureHex = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
        ConfigNode n = yaml("region: " + openAi + "\nmodel: " + aws + "\nteam: " + azureHex + "\nzone: eu-west-1\n");

        assertThatThrownBy(() -> n.integer("region", 0))
                .hasMessage("region: expected an integer >= 0, got a string of " + openAi.length() + " characters (line 1)");
        assertThatThrownBy(() -> n.integer("model", 0)).hasMessageNotContaining(aws);
        assertThatThrownBy(() -> n.integer("team", 0)).hasMessageNotContaining(azureHex);
        assertThatThrownBy(() -> n.integer("zone", 0))
                .as("ordinary values are quoted so the operator can find them")
                .hasMessage("zone: expected an integer >= 0, got \"eu-west-1\" (line 4)");
    }

    @Test
    void aSecretFromAnUnsetOrEmptyVariableIsAnErrorNamingTheVariable() {
        assertThatThrownBy(() -> yaml("apiKey: ${NO_SUCH_KEY}").secret("apiKey"))
                .hasMessage("apiKey: environment variable NO_SUCH_KEY is not set; export it with the key as its value "
                        + "(line 1)");
        assertThatThrownBy(() -> yaml("apiKey: ${EMPTY}").secret("apiKey"))
                .hasMessage("apiKey: environment variable EMPTY is empty; export it with the key as its value (line 1)");
    }

    @Test
    void unknownKeysAreReportedWithTheirPathASuggestionAndTheAllowedKeys() {
        ConfigNode n = yaml("""
                models:
                  - id: a
                    pricing:
                      input: 1
                      outptu: 2
                """);
        ConfigNode entry = n.nodeList("models").get(0);
        entry.string("id");
        entry.optionalString("description");
        ConfigNode pricing = entry.child("pricing");
        pricing.decimal("input", BigDecimal.ZERO);
        pricing.optionalDecimal("output", BigDecimal.ZERO);

        assertThatThrownBy(n::requireNoUnknownKeys)
                .as("the check reaches into every child the node handed out")
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("models[0].pricing.outptu: unknown key (did you mean \"output\"?); keys allowed here: "
                        + "input, output (line 5)");
    }

    @Test
    void anUnknownKeyWithNoCloseMatchListsTheAllowedKeysOnly() {
        ConfigNode n = yaml("name: x\ncolour: red\n");
        n.string("name");
        n.optionalString("region");

        assertThatThrownBy(n::requireNoUnknownKeys)
                .hasMessage("colour: unknown key; keys allowed here: name, region (line 2)");
    }

    @Test
    void consumedKeysAreNotUnknown() {
        ConfigNode n = yaml("handledElsewhere: {a: 1}\n");
        n.consume("handledElsewhere");

        n.requireNoUnknownKeys();
        assertThat(n.keys()).containsExactly("handledElsewhere");
    }

    @Test
    void theSameChildIsReturnedForTheSameKeySoReadsAreNotLost() {
        ConfigNode n = yaml("c: {a: 1, b: 2}\n");
        n.child("c").integer("a", 0);
        n.child("c").integer("b", 0);

        n.requireNoUnknownKeys();
    }

    @Test
    void yamlSyntaxErrorsNameLineAndColumnButNeverQuoteTheLine() {
        String text = "models:\n  - id: a\n    apiKey: sk-canary: oops\n";

        assertThatThrownBy(() -> yaml(text))
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("(root): YAML syntax error at line 3, column 22: mapping values are not allowed here; "
                        + "quote values that contain ': ' and check the indentation")
                .hasMessageNotContaining("canary")
                .hasNoCause();
    }

    @Test
    void tabsInIndentationAreReportedWithAHint() {
        assertThatThrownBy(() -> yaml("a:\n\tb: 1\n"))
                .hasMessageStartingWith("(root): YAML syntax error at line 2, column 1: ")
                .hasMessageEndingWith("; indent with spaces, not tabs");
    }

    @Test
    void duplicateKeysAreErrorsNamingBothLines() {
        assertThatThrownBy(() -> yaml("a:\n  x: 1\n  y: 2\n  x: 3\n"))
                .hasMessage("a.x: duplicate key (lines 2 and 4); keep only one");
    }

    @Test
    void aliasesMergeKeysAndSecondDocumentsAreRejected() {
        assertThatThrownBy(() -> yaml("base: &b {x: 1}\ncopy: *b\n"))
                .hasMessage("copy: YAML aliases (*b) are not supported; write the value out in full (line 2)");
        assertThatThrownBy(() -> yaml("base: &b {x: 1}\ncopy:\n  <<: *b\n"))
                .hasMessage("copy[\"<<\"]: YAML merge keys (<<) are not supported; write the keys out in full (line 3)");
        assertThatThrownBy(() -> yaml("a: 1\n---\nb: 2\n"))
                .hasMessage("(root): found a second YAML document at line 3; the file must hold exactly one document, "
                        + "so remove the extra '---'");
    }

    @Test
    void aRootThatIsNotAMappingIsRejectedAndAnEmptyDocumentIsAnEmptyMapping() {
        assertThatThrownBy(() -> yaml("- a\n- b\n"))
                .hasMessage("(root): expected a mapping of sections (models:, routing:, ...), got a list (line 1)");
        assertThat(yaml("").keys()).isEmpty();
        assertThat(yaml("# only a comment\n").keys()).isEmpty();
    }

    @Test
    void errorHelpersNameThePathAndLine() {
        ConfigNode n = yaml("routing:\n  maxAttempts: 9\n");
        ConfigNode routing = n.child("routing");

        assertThat(routing.error("maxAttempts", "too many").getMessage()).isEqualTo("routing.maxAttempts: too many (line 2)");
        assertThat(routing.error("absent", "needed").getMessage())
                .isEqualTo("routing.absent: needed (in the mapping at line 1)");
        assertThat(routing.error("whole section wrong").getMessage()).isEqualTo("routing: whole section wrong (line 1)");
        assertThat(routing.path("weights")).isEqualTo("routing.weights");
        assertThat(n.path("odd.key")).isEqualTo("\"odd.key\"");
    }

    @Test
    void toStringShowsThePathAndKeysButNoValues() {
        ConfigNode n = yaml("m:\n  - {id: a, secretish: hunter2}\n");

        assertThat(n.nodeList("m").get(0).toString()).isEqualTo("ConfigNode[m[0], keys=[id, secretish]]");
        assertThat(n.nodeList("m").get(0).toString()).doesNotContain("hunter2");
    }

    @Test
    void nodeListElementsMustBeMappings() {
        assertThatThrownBy(() -> yaml("models:\n  - just-a-name\n").nodeList("models"))
                .hasMessage("models[0]: expected a mapping (key: value lines), got \"just-a-name\" (line 2)");
    }

    @Test
    void suggestionsToleratesOneTypoPerThreeCharactersAndIgnoresCase() {
        assertThat(Suggestions.closest("modles", List.of("models", "routing"))).contains("models");
        assertThat(Suggestions.closest("baseurl", List.of("baseUrl", "apiKey"))).contains("baseUrl");
        assertThat(Suggestions.closest("xyz", List.of("models", "routing"))).isEmpty();
        assertThat(Suggestions.distance("ab", "ba")).isEqualTo(1);
        assertThat(Optional.of(Suggestions.distance("kitten", "sitting"))).contains(3);
    }
}
