package dev.llmmesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.DataClass;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.config.FixedAnswerClientFactory.FixedAnswerClient;
import dev.llmmesh.routing.BackoffConfig;
import dev.llmmesh.routing.BreakerConfig;
import dev.llmmesh.routing.HedgeConfig;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.WhenAllUnhealthy;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshConfigTest {
    private static final String CANARY = "sk-canary-5b1e0d9a77c24f18";

    private final Map<String, String> env = new HashMap<>(Map.of("TEST_API_KEY", CANARY, "GREETING_TARGET", "world"));

    private static final String FULL = """
            # a complete mesh.yaml
            routing:
              weights: {cost: 2, latency: 1, success: 1}
              maxAttempts: 2
              healthWindow: 50
              latencyAlpha: 0.5
              defaultTimeout: 45s

            models:
              - id: cheap
                provider: test
                model: tiny-1
                description: Cheap and fast
                capabilities: [chat, streaming, json_schema]
                contextWindow: 16000
                maxOutputTokens: 2000
                pricing: {input: 0.15, output: 0.60, cachedInput: 0.075}
                region: eu-west
                maxDataClass: internal
                tags: [fast, cheap]
                aliases: [tiny]
                owner: {domain: search, team: relevance}
                lifecycle: {state: approved, by: alice, at: 2025-01-15T10:00:00Z}
                answer: hello from ${GREETING_TARGET}
                baseUrl: ${TEST_BASE_URL:-http://localhost:8080/v1}
                apiKey: ${TEST_API_KEY}
                timeout: 500ms

              - id: strong
                provider: test
                model: big-1
                pricing:
                  input: 2.50
                  output: 10
                  reasoning: 12.5
                lifecycle:
                  state: proposed

            suffix:
              text: " [via mesh]"
            """;

    @BeforeEach
    void clearCreatedClients() {
        FixedAnswerClientFactory.CREATED.clear();
    }

    private MeshBuilder parse(String yaml) {
        return MeshConfig.parse(yaml, env::get);
    }

    private MeshConfigException failure(String yaml) {
        try {
            parse(yaml);
        } catch (MeshConfigException e) {
            return e;
        }
        throw new AssertionError("expected a MeshConfigException for:\n" + yaml);
    }

    /** A minimal valid file with {@code entry} as the only model's extra lines. */
    private static String oneModel(String extraLines) {
        return "models:\n  - id: m1\n    provider: test\n    model: tiny\n" + extraLines;
    }

    // ------------------------------------------------------------------ happy path

    @Test
    void aCompleteFileBuildsAMeshWhoseModelsAnswerThroughTheConfiguredSections() {
        MeshBuilder builder = parse(FULL);

        try (Mesh mesh = builder.build()) {
            MeshResponse response = mesh.chat("hi");

            assertThat(response.text()).isEqualTo("hello from world [via mesh]");
            assertThat(response.modelId()).contains("cheap");
        }
    }

    @Test
    void modelEntriesBecomeDescriptorsWithEveryCommonKey() {
        MeshBuilder builder = parse(FULL);

        ModelDescriptor cheap = descriptor(builder, "cheap");
        assertThat(cheap.provider()).isEqualTo("test");
        assertThat(cheap.modelName()).isEqualTo("tiny-1");
        assertThat(cheap.description()).isEqualTo("Cheap and fast");
        assertThat(cheap.capabilities()).containsExactlyInAnyOrder(Capability.CHAT, Capability.STREAMING,
                Capability.JSON_SCHEMA);
        assertThat(cheap.contextWindow()).isEqualTo(16000);
        assertThat(cheap.maxOutputTokens()).isEqualTo(2000);
        assertThat(cheap.pricing()).contains(new Pricing(new BigDecimal("0.15"), new BigDecimal("0.60"),
                Optional.of(new BigDecimal("0.075")), Optional.empty()));
        assertThat(cheap.region()).contains("eu-west");
        assertThat(cheap.maxDataClass()).isEqualTo(DataClass.INTERNAL);
        assertThat(cheap.tags()).containsExactlyInAnyOrder("fast", "cheap");
        assertThat(cheap.aliases()).containsExactly("tiny");
        assertThat(cheap.owner()).isEqualTo(Ownership.of("search", "relevance"));
        assertThat(cheap.lifecycle().state()).isEqualTo(LifecycleState.APPROVED);
        assertThat(cheap.lifecycle().changedBy()).contains("alice");
        assertThat(cheap.lifecycle().changedAt()).contains(Instant.parse("2025-01-15T10:00:00Z"));

        ModelDescriptor strong = descriptor(builder, "strong");
        assertThat(strong.pricing().orElseThrow().reasoningPerMillion()).contains(new BigDecimal("12.5"));
        assertThat(strong.lifecycle().state()).isEqualTo(LifecycleState.PROPOSED);
        assertThat(strong.lifecycle().changedBy()).isEmpty();
        assertThat(strong.capabilities()).as("default capabilities")
                .containsExactlyInAnyOrder(Capability.CHAT, Capability.STREAMING);
        assertThat(strong.contextWindow()).isEqualTo(8192);
        assertThat(strong.maxOutputTokens()).isEqualTo(4096);
        assertThat(strong.maxDataClass()).isEqualTo(DataClass.PUBLIC);
        assertThat(strong.owner()).isEqualTo(Ownership.UNOWNED);
    }

    @Test
    void providerSpecificKeysReachTheFactoryWithEnvironmentVariablesSubstituted() {
        FixedAnswerClient cheap = (FixedAnswerClient) client(parse(FULL), "cheap");

        assertThat(cheap.answer).isEqualTo("hello from world");
        assertThat(cheap.baseUrl).contains(URI.create("http://localhost:8080/v1"));
        assertThat(cheap.apiKey.orElseThrow().reveal()).isEqualTo(CANARY);
        assertThat(cheap.apiKey.orElseThrow().source()).isEqualTo("env:TEST_API_KEY");
        assertThat(cheap.timeout).isEqualTo(Duration.ofMillis(500));

        env.put("TEST_BASE_URL", "https://llm.internal.example.com/v1");
        FixedAnswerClient again = (FixedAnswerClient) client(parse(FULL), "cheap");
        assertThat(again.baseUrl).contains(URI.create("https://llm.internal.example.com/v1"));
    }

    @Test
    void theRoutingSectionBecomesTheRouterConfig() {
        RouterConfig routing = parse(FULL).routing();

        assertThat(routing.weights().cost()).isEqualTo(2.0);
        assertThat(routing.weights().latency()).isEqualTo(1.0);
        assertThat(routing.weights().success()).isEqualTo(1.0);
        assertThat(routing.maxAttempts()).isEqualTo(2);
        assertThat(routing.healthWindow()).isEqualTo(50);
        assertThat(routing.latencyAlpha()).isEqualTo(0.5);
        assertThat(routing.defaultTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(routing.strategy().name()).isEqualTo("balanced");
    }

    @Test
    void withoutARoutingSectionTheBuildersRoutingIsKept() {
        MeshBuilder builder = Mesh.builder().routing(RouterConfig.builder().maxAttempts(5).build());

        MeshConfig.apply(ConfigNode.fromYaml(oneModel(""), env::get), builder);

        assertThat(builder.routing().maxAttempts()).isEqualTo(5);
        assertThat(builder.models()).extracting(c -> c.descriptor().id()).containsExactly("m1");
    }

    @Test
    void routingKeysOverrideTheBuildersRoutingOneByOne() {
        MeshBuilder builder = Mesh.builder().routing(RouterConfig.builder().maxAttempts(5).healthWindow(7).build());

        MeshConfig.apply(ConfigNode.fromYaml(oneModel("routing:\n  maxAttempts: 4\n"), env::get), builder);

        assertThat(builder.routing().maxAttempts()).isEqualTo(4);
        assertThat(builder.routing().healthWindow()).isEqualTo(7);
    }

    @Test
    void theReturnedBuilderAcceptsMoreBeforeBuild() {
        MeshBuilder builder = parse(oneModel(""));
        LlmClient extra = new FixedAnswerClient(ModelDescriptor.builder("extra", "test", "x").build(), "from code",
                Optional.empty(), Optional.empty(), Duration.ofSeconds(1));

        builder.addModel(extra);

        assertThat(builder.models()).extracting(c -> c.descriptor().id()).containsExactly("m1", "extra");
    }

    @Test
    void loadReadsAFileAndLoadMeshBuildsIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mesh.yaml");
        Files.writeString(file, oneModel("    answer: from a file\n"));

        assertThat(MeshConfig.load(file, env::get).models()).hasSize(1);
        try (Mesh mesh = MeshConfig.loadMesh(file)) {
            assertThat(mesh.chat("hi").text()).isEqualTo("from a file");
        }
    }

    @Test
    void aMissingFileIsReportedWithItsPath(@TempDir Path dir) {
        Path file = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> MeshConfig.load(file, env::get))
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("(root): configuration file " + file + " does not exist; check the path");
    }

    // ------------------------------------------------------------------ bad input: one clear error each

    @Test
    void anUnknownTopLevelSectionIsRejectedWithASuggestionAndTheKnownSections() {
        MeshConfigException e = failure(oneModel("") + "rouitng:\n  maxAttempts: 2\n");

        assertThat(e.path()).isEqualTo("rouitng");
        assertThat(e).hasMessage("rouitng: unknown section (did you mean \"routing\"?); known sections: models, routing, "
                + "observability, state, suffix (a module's section is known when its jar is on the classpath) (line 5)");
    }

    @Test
    void anUnknownKeyInAModelEntryListsTheCommonAndProviderKeys() {
        MeshConfigException e = failure(oneModel("    baseUrll: http://localhost:1234\n"));

        assertThat(e.path()).isEqualTo("models[0].baseUrll");
        assertThat(e).hasMessage("models[0].baseUrll: unknown key (did you mean \"baseUrl\"?); keys allowed here: "
                + "aliases, answer, apiKey, baseUrl, capabilities, contextWindow, description, id, lifecycle, "
                + "maxDataClass, maxOutputTokens, model, owner, pricing, provider, region, rejectWith, tags, timeout "
                + "(line 5)");
    }

    @Test
    void anUnknownNestedKeyNamesItsFullPath() {
        MeshConfigException e = failure(oneModel("    pricing: {input: 1, output: 2, cachedinput: 0.5}\n"));

        assertThat(e).hasMessage("models[0].pricing.cachedinput: unknown key (did you mean \"cachedInput\"?); keys "
                + "allowed here: cacheWrite, cachedInput, input, output, reasoning (line 5)");
    }

    @Test
    void anUnknownKeyInAModulesSectionIsReportedAfterTheModuleReadsIt() {
        MeshConfigException e = failure(oneModel("") + "suffix:\n  txet: \"!\"\n");

        assertThat(e).hasMessage("suffix.text: required key is missing; expected a non-empty string "
                + "(in the mapping at line 5)");
        MeshConfigException unknown = failure(oneModel("") + "suffix:\n  text: \"!\"\n  colour: red\n");
        assertThat(unknown).hasMessage("suffix.colour: unknown key; keys allowed here: text (line 7)");
    }

    @Test
    void aModuleRejectingItsSectionIsReportedAtTheSection() {
        MeshConfigException e = failure(oneModel("") + "suffix:\n  text: a suffix far too long to accept\n");

        assertThat(e.path()).isEqualTo("suffix");
        assertThat(e).hasMessage("suffix: could not apply this section (dev.llmmesh.config.SuffixConfigurer): suffix "
                + "text must be at most 20 characters, got 31");
        assertThat(FixedAnswerClientFactory.CREATED).singleElement().satisfies(c -> assertThat(c.closed).isTrue());
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpected() {
        MeshConfigException e = failure(oneModel("    contextWindow: lots\n"));

        assertThat(e).hasMessage("models[0].contextWindow: expected an integer >= 1, got \"lots\" (line 5)");
    }

    @Test
    void aMappingWhereAListBelongsIsAWrongType() {
        MeshConfigException e = failure("models:\n  id: m1\n  provider: test\n");

        assertThat(e).hasMessage("models: expected a list of mappings, got a mapping (line 1)");
    }

    @Test
    void aModelWithoutIdIsRejectedWithAnExample() {
        MeshConfigException e = failure("models:\n  - provider: test\n    model: tiny\n");

        assertThat(e.path()).isEqualTo("models[0].id");
        assertThat(e).hasMessage("models[0].id: required key is missing; every model needs a unique id, e.g. "
                + "id: openai-gpt-4o-mini (in the mapping at line 2)");
    }

    @Test
    void aDuplicateIdNamesBothEntries() {
        MeshConfigException e = failure(oneModel("  - id: m1\n    provider: test\n    model: other\n"));

        assertThat(e).hasMessage("models[1].id: duplicate model id \"m1\", already used by models[0]; give each model "
                + "a unique id (line 5)");
    }

    @Test
    void anUnsetEnvironmentVariableNamesThePathAndTheVariable() {
        MeshConfigException e = failure(oneModel("    baseUrl: ${LOCAL_LLM_URL}\n"));

        assertThat(e).hasMessage("models[0].baseUrl: environment variable LOCAL_LLM_URL is not set; export it, or give "
                + "a default with ${LOCAL_LLM_URL:-value} (line 5)");
    }

    @Test
    void aNegativePriceIsRejected() {
        MeshConfigException e = failure(oneModel("    pricing:\n      input: -0.5\n      output: 1\n"));

        assertThat(e.path()).isEqualTo("models[0].pricing.input");
        assertThat(e).hasMessage("models[0].pricing.input: expected a number >= 0, got -0.5 (line 6)");
    }

    @Test
    void aPriceThatIsNotANumberIsRejected() {
        MeshConfigException e = failure(oneModel("    pricing: {input: cheap, output: 1}\n"));

        assertThat(e).hasMessage("models[0].pricing.input: expected a number >= 0, got \"cheap\" (line 5)");
    }

    @Test
    void pricingNeedsBothInputAndOutput() {
        MeshConfigException e = failure(oneModel("    pricing: {input: 1}\n"));

        assertThat(e).hasMessage("models[0].pricing.output: required key is missing; expected a number >= 0 "
                + "(in the mapping at line 5)");
    }

    @Test
    void anUnknownCapabilityNamesTheElementAndTheValidNames() {
        MeshConfigException e = failure(oneModel("    capabilities:\n      - chat\n      - vison\n"));

        assertThat(e.path()).isEqualTo("models[0].capabilities[1]");
        assertThat(e).hasMessage("models[0].capabilities[1]: unknown capability \"vison\" (did you mean \"vision\"?); "
                + "expected one of chat, streaming, tools, parallel_tools, json_mode, json_schema, vision, audio, "
                + "reasoning, prompt_caching, embeddings (line 7)");
    }

    @Test
    void anEmptyModelListIsRejected() {
        MeshConfigException e = failure("models: []\n");

        assertThat(e).hasMessage("models: the list is empty; add at least one model, e.g. "
                + "- {id: my-model, provider: openai, model: gpt-4o-mini} (line 1)");
    }

    @Test
    void aFileWithoutModelsIsRejected() {
        MeshConfigException e = failure("routing:\n  maxAttempts: 2\n");

        assertThat(e).hasMessage("models: required section is missing; list at least one model, e.g.\nmodels:\n"
                + "  - {id: my-model, provider: openai, model: gpt-4o-mini}");
    }

    @Test
    void aBaseUrlWithAnotherSchemeIsRejected() {
        MeshConfigException e = failure(oneModel("    baseUrl: ftp://x\n"));

        assertThat(e).hasMessage("models[0].baseUrl: scheme \"ftp\" is not allowed; expected an http(s) URL with a "
                + "host, such as https://api.example.com/v1, got \"ftp://x\" (line 5)");
    }

    @Test
    void aBaseUrlThatIsNotAUrlIsRejected() {
        MeshConfigException e = failure(oneModel("    baseUrl: not a url\n"));

        assertThat(e).hasMessage("models[0].baseUrl: expected an http(s) URL with a host, such as "
                + "https://api.example.com/v1, got \"not a url\" (line 5)");
    }

    @Test
    void scenario33_aBaseUrlAtTheCloudMetadataAddressIsRejected() {
        MeshConfigException e = failure(oneModel("    baseUrl: http://0xA9FEA9FE/latest\n"));

        assertThat(e).hasMessage("models[0].baseUrl: host 0xA9FEA9FE is refused (cloud metadata address written as "
                + "a number); base URLs may not point at it (line 5)");
    }

    @Test
    void aBadDurationIsRejectedWithTheAcceptedForms() {
        MeshConfigException e = failure(oneModel("    timeout: 30 secs\n"));

        assertThat(e).hasMessage("models[0].timeout: expected a duration such as 500ms, 30s, 5m, 1h, 2d or PT30S, "
                + "got \"30 secs\" (line 5)");
    }

    @Test
    void anUnknownProviderListsTheAvailableOnes() {
        MeshConfigException e = failure("models:\n  - id: m1\n    provider: tset\n    model: tiny\n");

        assertThat(e).hasMessage("models[0].provider: unknown provider \"tset\" (did you mean \"test\"?); available "
                + "providers: test (a provider is available when its module, such as mesh-providers, is on the "
                + "classpath) (line 3)");
    }

    @Test
    void aMissingProviderListsTheAvailableOnes() {
        MeshConfigException e = failure("models:\n  - id: m1\n    model: tiny\n");

        assertThat(e).hasMessage("models[0].provider: required key is missing; name the provider, one of test "
                + "(in the mapping at line 2)");
    }

    @Test
    void aBadLifecycleStateListsTheValidStates() {
        MeshConfigException e = failure(oneModel("    lifecycle: {state: aproved, by: alice}\n"));

        assertThat(e).hasMessage("models[0].lifecycle.state: expected one of proposed, approved, deprecated, retired, "
                + "got \"aproved\" (did you mean \"approved\"?) (line 5)");
    }

    @Test
    void aBadLifecycleInstantIsRejected() {
        MeshConfigException e = failure(oneModel("    lifecycle: {state: approved, at: last tuesday}\n"));

        assertThat(e).hasMessage("models[0].lifecycle.at: expected an ISO-8601 instant such as 2025-01-15T10:00:00Z, "
                + "or a date such as 2025-01-15, got \"last tuesday\" (line 5)");
    }

    @Test
    void aBadDataClassListsTheValidClasses() {
        MeshConfigException e = failure(oneModel("    maxDataClass: secret\n"));

        assertThat(e).hasMessage("models[0].maxDataClass: expected one of public, internal, confidential, restricted, "
                + "got \"secret\" (line 5)");
    }

    @Test
    void maxOutputTokensAboveTheContextWindowIsRejected() {
        MeshConfigException e = failure(oneModel("    contextWindow: 1000\n    maxOutputTokens: 2000\n"));

        assertThat(e).hasMessage("models[0].maxOutputTokens: must be <= contextWindow (1000), got 2000; raise "
                + "contextWindow or lower maxOutputTokens (line 6)");
    }

    @Test
    void aSmallContextWindowLowersTheDefaultMaxOutput() {
        ModelDescriptor d = descriptor(parse(oneModel("    contextWindow: 1000\n")), "m1");

        assertThat(d.maxOutputTokens()).isEqualTo(1000);
    }

    @Test
    void aYamlSyntaxErrorNamesTheLine() {
        MeshConfigException e = failure("models:\n  - id: m1\n    provider: test\n   model: tiny\n");

        assertThat(e.path()).isEmpty();
        assertThat(e.getMessage()).startsWith("(root): YAML syntax error at line 4, column 4: ")
                .endsWith("; check the indentation and quoting on that line");
    }

    @Test
    void routingValuesOutOfRangeAreRejected() {
        assertThat(failure(oneModel("routing:\n  latencyAlpha: 1.5\n")))
                .hasMessage("routing.latencyAlpha: expected a number in (0, 1], such as 0.2, got 1.5 (line 6)");
        assertThat(failure(oneModel("routing:\n  maxAttempts: 0\n")))
                .hasMessage("routing.maxAttempts: expected an integer >= 1, got 0 (line 6)");
        assertThat(failure(oneModel("routing:\n  defaultTimeout: 0s\n")))
                .hasMessage("routing.defaultTimeout: expected a positive duration such as 30s, got 0 (line 6)");
        assertThat(failure(oneModel("routing:\n  weights: {cost: 0, latency: 0, success: 0, load: 0, preference: 0}\n")))
                .hasMessage("routing.weights: every weight is 0; give at least one a positive weight (line 6)");
        assertThat(failure(oneModel("routing:\n  maxEjectionPercent: 150\n")))
                .hasMessage("routing.maxEjectionPercent: expected an integer in [0, 100], got 150 (line 6)");
        assertThat(failure(oneModel("routing:\n  backoff: {base: 2s, cap: 1s}\n")))
                .hasMessage("routing.backoff.cap: must be >= base (PT2S), got PT1S; raise cap or lower base (line 6)");
    }

    @Test
    void anUnknownRoutingKeyListsEveryRoutingKey() {
        assertThat(failure(oneModel("routing:\n  wieghts: {cost: 1}\n")))
                .hasMessage("routing.wieghts: unknown key (did you mean \"weights\"?); keys allowed here: "
                        + "attemptTimeout, backoff, breaker, bulkhead, defaultTimeout, drainTimeout, healthMaxAge, healthWindow, "
                        + "hedging, latencyAlpha, maxAttempts, maxEjectionPercent, preferTags, priority, recoveryWindow, "
                        + "retryBudget, split, strategy, streamIdleTimeout, weights, whenAllUnhealthy (line 6)");
    }

    @Test
    void everyRoutingSettingCanBeSetFromTheFile() {
        String yaml = oneModel("") + """
                  - {id: m2, provider: test, model: tiny}
                routing:
                  strategy: priority
                  priority: [m2, m1]
                  preferTags: [fast]
                  maxAttempts: 4
                  healthWindow: 30
                  healthMaxAge: 10m
                  latencyAlpha: 0.3
                  defaultTimeout: 20s
                  attemptTimeout: 5s
                  streamIdleTimeout: 15s
                  maxEjectionPercent: 30
                  whenAllUnhealthy: probe-least-recently-failed
                  backoff: {base: 50ms, multiplier: 3, cap: 1s}
                  retryBudget: {ratio: 0.1, floor: 2}
                  breaker:
                    windowSize: 10
                    minimumCalls: 5
                    failureRatePercent: 40
                    slowCallRatePercent: 80
                    slowCallThreshold: 3s
                    waitInOpen: 10s
                    halfOpenProbes: 2
                    maxWaitInHalfOpen: 30s
                  bulkhead: {default: 8, m2: 2}
                  hedging: {delay: p95, minDelay: 200ms}
                """;

        RouterConfig r = parse(yaml).routing();

        assertThat(r.strategy().name()).isEqualTo("priority");
        assertThat(r.preferTags()).containsExactly("fast");
        assertThat(r.maxAttempts()).isEqualTo(4);
        assertThat(r.healthWindow()).isEqualTo(30);
        assertThat(r.healthMaxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(r.latencyAlpha()).isEqualTo(0.3);
        assertThat(r.defaultTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(r.attemptTimeout()).contains(Duration.ofSeconds(5));
        assertThat(r.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(r.maxEjectionPercent()).isEqualTo(30);
        assertThat(r.whenAllUnhealthy()).isEqualTo(WhenAllUnhealthy.PROBE_LEAST_RECENTLY_FAILED);
        assertThat(r.backoff()).isEqualTo(new BackoffConfig(Duration.ofMillis(50), 3, Duration.ofSeconds(1)));
        assertThat(r.retryBudgetRatio()).isEqualTo(0.1);
        assertThat(r.retryBudgetFloor()).isEqualTo(2);
        assertThat(r.breaker()).contains(new BreakerConfig(10, 5, 40f, 80f, Duration.ofSeconds(3),
                Duration.ofSeconds(10), 2, Duration.ofSeconds(30)));
        assertThat(r.bulkhead("m2")).hasValue(2);
        assertThat(r.bulkhead("m1")).hasValue(8);
        assertThat(r.hedging()).contains(HedgeConfig.atP95(Duration.ofMillis(200)));
    }

    @Test
    void breakersCanBeTurnedOffAndHedgingSetToAFixedDelay() {
        RouterConfig r = parse(oneModel("routing:\n  breaker: {enabled: false}\n  hedging: {delay: 2s}\n  "
                + "strategy: cheapest\n")).routing();

        assertThat(r.breaker()).isEmpty();
        assertThat(r.hedging()).contains(HedgeConfig.after(Duration.ofSeconds(2)));
        assertThat(r.strategy().name()).isEqualTo("cheapest");
    }

    @Test
    void aWeightedSplitNeedsKnownModelIds() {
        assertThat(parse(oneModel("routing:\n  split: {m1: 100}\n")).routing().strategy().name())
                .isEqualTo("weighted-split");
        assertThat(failure(oneModel("routing:\n  split: {m1: 90, m3: 10}\n")))
                .hasMessage("routing.split.m3: no model has id \"m3\" (did you mean \"m1\"?); model ids: m1 (line 6)");
    }

    @Test
    void routingKeysThatDoNotFitTheStrategyAreRejected() {
        assertThat(failure(oneModel("routing:\n  strategy: fastest\n  weights: {cost: 2}\n")))
                .hasMessage("routing.weights: applies only to strategy balanced, but the strategy is fastest; remove "
                        + "it or set strategy: balanced (line 7)");
        assertThat(failure(oneModel("routing:\n  strategy: priority\n")))
                .hasMessage("routing.priority: required key is missing for strategy priority; list model ids in order "
                        + "of preference, e.g. priority: [primary, backup] (in the mapping at line 5)");
        assertThat(failure(oneModel("routing:\n  priority: [m1, gpt]\n")))
                .hasMessage("routing.priority[1]: no model has id \"gpt\"; model ids: m1 (line 6)");
        assertThat(failure(oneModel("routing:\n  strategy: cheapest-first\n")))
                .hasMessage("routing.strategy: expected one of balanced, cheapest, fastest, least_busy, priority, "
                        + "weighted_split, got \"cheapest-first\" (line 6)");
        assertThat(failure(oneModel("routing:\n  breaker: {enabled: false, windowSize: 5}\n")))
                .hasMessage("routing.breaker.windowSize: has no effect while enabled is false; remove it or enable "
                        + "the breaker (line 6)");
    }

    @Test
    void aProviderThatRejectsItsSettingsIsReportedAtTheEntry() {
        MeshConfigException e = failure(oneModel("    rejectWith: region eu-north is not served\n"));

        assertThat(e.path()).isEqualTo("models[0]");
        assertThat(e).hasMessage("models[0]: provider \"test\" could not create the client: region eu-north is not "
                + "served");
    }

    @Test
    void aFailedLoadClosesTheClientsItAlreadyCreated() {
        String yaml = oneModel("") + "  - id: m2\n    provider: test\n    model: tiny\n    colour: red\n";

        assertThatThrownBy(() -> parse(yaml)).hasMessageStartingWith("models[1].colour: unknown key");

        assertThat(FixedAnswerClientFactory.CREATED).hasSize(2)
                .allSatisfy(c -> assertThat(c.closed).as("client %s closed", c.descriptor.id()).isTrue());
    }

    // ------------------------------------------------------------------ secrets

    @Test
    void scenario34_aSecretReadFromConfigNeverAppearsInToStringOrMessages() {
        MeshBuilder builder = parse(FULL);
        LlmClient cheap = client(builder, "cheap");
        assertThat(((FixedAnswerClient) cheap).apiKey.orElseThrow().reveal()).isEqualTo(CANARY);

        assertThat(cheap.toString()).doesNotContain(CANARY);
        assertThat(cheap.descriptor().toString()).doesNotContain(CANARY);
        try (Mesh mesh = builder.build()) {
            assertThat(mesh.catalog().all(ModelDescriptor.class).toString()).doesNotContain(CANARY);
        }

        ConfigNode root = ConfigNode.fromYaml(FULL, env::get);
        ConfigNode entry = root.nodeList("models").get(0);
        assertThat(entry.secret("apiKey").toString()).doesNotContain(CANARY);
        assertThat(root.toString() + entry).doesNotContain(CANARY);

        Function<String, MeshConfigException> failing = extra -> failure(oneModel("    apiKey: ${TEST_API_KEY}\n" + extra));
        assertThat(failing.apply("    colour: red\n").getMessage()).doesNotContain(CANARY);
        assertThat(failing.apply("    baseUrl: ${TEST_API_KEY}\n").getMessage()).doesNotContain(CANARY)
                .contains("got \"${TEST_API_KEY}\"");
        assertThat(failing.apply("    timeout: ${TEST_API_KEY}\n").getMessage()).doesNotContain(CANARY);
        assertThat(failing.apply("    answer: [${TEST_API_KEY}]\n").getMessage()).doesNotContain(CANARY);
        assertThat(failure(oneModel("    apiKey: " + CANARY + "\n    pricing: " + CANARY + "\n")).getMessage())
                .doesNotContain(CANARY);
        assertThat(failure("models:\n  - id: m1\n    provider: test\n    model: x\n    apiKey: " + CANARY + ": x\n")
                .getMessage()).doesNotContain(CANARY);
    }

    private static ModelDescriptor descriptor(MeshBuilder builder, String id) {
        return client(builder, id).descriptor();
    }

    private static LlmClient client(MeshBuilder builder, String id) {
        return builder.models().stream().filter(c -> c.descriptor().id().equals(id)).findFirst().orElseThrow();
    }
}
