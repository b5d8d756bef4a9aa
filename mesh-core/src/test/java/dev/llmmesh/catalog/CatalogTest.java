package dev.llmmesh.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.DataClass;
import dev.llmmesh.FakeClient;
import dev.llmmesh.Mesh;
import dev.llmmesh.NoRouteException;
import dev.llmmesh.TestRequests;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    private static ModelDescriptor m(String id, int context, double in, double out, Capability... caps) {
        return ModelDescriptor.builder(id, "openai", id).capabilities(caps).contextWindow(context)
                .maxOutputTokens(Math.min(4096, context)).pricing(Pricing.perMillion(in, out))
                .owner(Ownership.of("search", "retrieval")).build();
    }

    @Test
    void discoversApprovedModelsWithToolsAndLargeContextCheapestFirst() {
        Catalog catalog = new Catalog(clock);
        catalog.register(m("big-pricey", 200_000, 3, 15, Capability.CHAT, Capability.TOOLS));
        catalog.register(m("big-cheap", 128_000, 0.15, 0.6, Capability.CHAT, Capability.TOOLS));
        catalog.register(m("small", 16_000, 0.01, 0.01, Capability.CHAT, Capability.TOOLS));
        catalog.register(m("no-tools", 200_000, 0.01, 0.01, Capability.CHAT));
        catalog.register(m("proposed", 200_000, 0.001, 0.001, Capability.CHAT, Capability.TOOLS).toBuilder()
                .lifecycle(Lifecycle.proposed()).build());
        catalog.register(ModelDescriptor.builder("unpriced", "ollama", "llama").capabilities(Capability.CHAT, Capability.TOOLS)
                .contextWindow(128_000).build());

        assertThat(catalog.models().approved().with(Capability.TOOLS).minContextWindow(100_000).cheapestFirst().list())
                .extracting(ModelDescriptor::id).containsExactly("big-cheap", "big-pricey", "unpriced");
    }

    @Test
    void approvalRecordsWhoAndWhenAndMakesTheModelRoutable() {
        FakeClient client = new FakeClient(m("new", 8192, 1, 1, Capability.CHAT, Capability.STREAMING).toBuilder()
                .lifecycle(Lifecycle.proposed()).build(), "hello");
        Mesh mesh = Mesh.builder().addModel(client).clock(clock).build();

        assertThatThrownBy(() -> mesh.chat(TestRequests.ask("hi"))).isInstanceOf(NoRouteException.class);
        ModelDescriptor approved = mesh.catalog().approve(ModelDescriptor.class, "new", "alice");

        assertThat(approved.lifecycle()).isEqualTo(Lifecycle.of(LifecycleState.APPROVED, "alice", clock.instant()));
        assertThat(mesh.chat(TestRequests.ask("hi")).text()).isEqualTo("hello");
        mesh.catalog().retire(ModelDescriptor.class, "new", "bob");
        assertThatThrownBy(() -> mesh.chat(TestRequests.ask("hi"))).isInstanceOf(NoRouteException.class)
                .hasMessageContaining("lifecycle retired");
        assertThatThrownBy(() -> mesh.catalog().approve(ModelDescriptor.class, "new", "carol"))
                .hasMessageContaining("is retired");
    }

    @Test
    void duplicateIdsAreRejected() {
        Catalog catalog = new Catalog(clock);
        catalog.register(m("a", 8192, 1, 1, Capability.CHAT));

        assertThatThrownBy(() -> catalog.register(m("a", 8192, 1, 1, Capability.CHAT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("duplicate model id \"a\"; ids must be unique");
        assertThatThrownBy(() -> Mesh.builder().addModel(FakeClient.model("x", 1, 1)).addModel(FakeClient.model("x", 1, 1)))
                .hasMessageContaining("duplicate model id \"x\"");
    }

    @Test
    void queriesFilterByOwnerRegionDataClassAndProvider() {
        Catalog catalog = new Catalog(clock);
        catalog.register(m("eu", 8192, 1, 1, Capability.CHAT).toBuilder().region("eu-west")
                .maxDataClass(DataClass.CONFIDENTIAL).build());
        catalog.register(m("us", 8192, 1, 1, Capability.CHAT).toBuilder().region("us-east")
                .owner(Ownership.of("ads", "ranking")).build());

        assertThat(catalog.models().inRegion("eu-west").list()).extracting(ModelDescriptor::id).containsExactly("eu");
        assertThat(catalog.models().admitting(DataClass.CONFIDENTIAL).list()).extracting(ModelDescriptor::id).containsExactly("eu");
        assertThat(catalog.models().ownedBy("ads").list()).extracting(ModelDescriptor::id).containsExactly("us");
        assertThat(catalog.models().provider("anthropic").list()).isEmpty();
        assertThat(catalog.summary()).containsEntry("model", 2);
    }

    @Test
    void itemsOfOtherKindsLiveBesideModels() {
        record Tool(String id, String description, Ownership owner, Lifecycle lifecycle) implements CatalogItem {
        }
        Catalog catalog = new Catalog(clock);
        catalog.register(new Tool("sql", "orders db", Ownership.of("billing", "core"), Lifecycle.approvedByDefault()));
        catalog.register(m("sql", 8192, 1, 1, Capability.CHAT)); // same id, different kind: fine

        assertThat(catalog.find(Tool.class, "sql")).isPresent();
        assertThat(catalog.all(Tool.class)).hasSize(1);
        assertThatThrownBy(() -> catalog.approve(Tool.class, "sql", "x")).hasMessageContaining("LifecycleAware");
    }

    @Test
    void descriptorValidationNamesTheModelAndField() {
        assertThatThrownBy(() -> ModelDescriptor.builder("m1", "openai", "gpt").contextWindow(1000).maxOutputTokens(2000).build())
                .hasMessage("model m1: maxOutputTokens must be in [1, contextWindow=1000], got 2000");
        assertThatThrownBy(() -> ModelDescriptor.builder(" ", "openai", "gpt").build()).hasMessageContaining("id must not be blank");
    }
}
