package dev.llmmesh.rag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfig;
import dev.llmmesh.config.MeshConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RagConfigurerTest {
    private final HashingEmbeddingModel model = new HashingEmbeddingModel(32);
    private final RecordingClient client = RecordingClient.citingFirstSource();

    private MeshBuilder configure(String yaml) {
        MeshBuilder builder = Mesh.builder().addModel(client);
        new RagConfigurer().configure(ConfigNode.fromYaml(yaml, Map.<String, String>of()::get).child("rag"), builder, () -> model);
        return builder;
    }

    @Test
    void theRagSectionRegistersKnowledgeBasesIngestsDocumentsAndGroundsCalls(@TempDir Path dir) throws Exception {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("refunds.md"), "# Refunds\nRefunds take five days.");
        String yaml = """
                rag:
                  topK: 2
                  stores:
                    main: { type: lucene, directory: "%s", headingBoost: 2 }
                  knowledgeBases:
                    - id: handbook
                      description: payments handbook
                      owner: { domain: payments, team: core }
                      allowedTeams: [support]
                      filterKeys: [format]
                      store: main
                      retrieval: { textWeight: 1, vectorWeight: 0.5 }
                      ingest: { paths: ["%s"], splitter: heading, maxTokens: 64, overlapTokens: 8 }
                    - id: drafts
                      owner: { domain: payments, team: core }
                      lifecycle: proposed
                  teamDefaults:
                    support: [handbook, drafts]
                """.formatted(dir.resolve("index").toString().replace("\\", "/"), docs.toString().replace("\\", "/"));

        try (Mesh mesh = configure(yaml).build()) {
            assertThat(mesh.catalog().find(KnowledgeBase.class, "handbook").orElseThrow().allowedTeams())
                    .containsExactly("support");
            assertThat(mesh.catalog().find(KnowledgeBase.class, "drafts").orElseThrow().lifecycle().state())
                    .isEqualTo(LifecycleState.PROPOSED);

            MeshResponse r = mesh.chat(ChatRequest.builder().messages(UserMessage.from("refunds")).build(),
                    CallContext.forTeam("support"));

            assertThat(r.citations()).singleElement().satisfies(c -> {
                assertThat(c.chunkId()).isEqualTo("refunds.md#0");
                assertThat(c.sourceUri()).endsWith("refunds.md");
            });
        }
        assertThat(dir.resolve("index")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("segments"));
    }

    @Test
    void theConfigurerIsFoundByTheMeshYamlLoader() {
        MeshBuilder builder = MeshConfig.parse("""
                models:
                  - { id: local, provider: rag-test, model: stand-in }
                rag:
                  knowledgeBases:
                    - id: glossary
                      owner: { domain: org, team: platform }
                      allowedTeams: ["*"]
                  meshDefaults: [glossary]
                """, Map.<String, String>of()::get);

        try (Mesh mesh = builder.build()) {
            KnowledgeBase kb = mesh.catalog().find(KnowledgeBase.class, "glossary").orElseThrow();
            assertThat(kb.permits(java.util.Optional.empty())).isTrue();
            assertThat(mesh.chat("glossary").citations()).isEmpty();
        }
    }

    @Test
    void mistakesAreReportedWithThePathAndTheFix() {
        assertThatThrownBy(() -> configure("""
                rag:
                  knowledgeBases:
                    - id: kb
                      owner: { domain: d, team: t }
                      store: nowhere
                """)).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("rag.knowledgeBases[0].store").hasMessageContaining("no store named \"nowhere\"");

        assertThatThrownBy(() -> configure("""
                rag:
                  knowledgeBases:
                    - id: kb
                      owner: { domain: d, team: t }
                      filterKeys: ["')::text IS NOT NULL OR pg_sleep(1) IS NOT NULL --"]
                """)).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("rag.knowledgeBases[0].filterKeys").hasMessageContaining("is invalid");

        assertThatThrownBy(() -> configure("""
                rag:
                  topk: 3
                """)).isInstanceOf(MeshConfigException.class).hasMessageContaining("topK");

        assertThatThrownBy(() -> configure("""
                rag:
                  meshDefaults: [missing]
                """)).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("\"missing\" is not registered");
    }
}
