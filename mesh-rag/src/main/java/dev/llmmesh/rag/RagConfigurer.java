package dev.llmmesh.rag;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleState;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.config.MeshConfigurer;
import dev.llmmesh.rag.ingest.DocumentLoader;
import dev.llmmesh.rag.ingest.EmbeddingModels;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.SourceDocument;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.retrieve.Retrievers;
import dev.llmmesh.rag.store.ChunkStore;
import dev.llmmesh.rag.store.LuceneChunkStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reads the {@code rag:} section of {@code mesh.yaml} and installs a {@link RagPlugin}. Found by
 * {@link java.util.ServiceLoader}; applications do not call it.
 *
 * <pre>{@code
 * rag:
 *   topK: 4                       # chunks injected per call (1..50)
 *   maxCharsPerSource: 4000       # longer chunks are cut when injected
 *   stores:                       # named stores; knowledge bases may share one
 *     main:
 *       type: lucene              # lucene (on disk) or memory
 *       directory: /var/lib/mesh/rag
 *       headingBoost: 1.0         # optional BM25 settings
 *       titleBoost: 1.0
 *       k1: 1.2
 *       b: 0.75
 *   knowledgeBases:
 *     - id: payments-handbook
 *       description: How money moves
 *       owner: { domain: payments, team: payments-core }
 *       allowedTeams: [support]   # "*" for everyone
 *       filterKeys: [lang]
 *       lifecycle: approved       # proposed, approved, deprecated, retired
 *       store: main               # default: a private in-memory store
 *       retrieval: { textWeight: 1.0, vectorWeight: 1.0, rankConstant: 60, candidates: 50 }
 *       ingest:                   # optional: files or directories ingested at startup (unchanged ones skipped)
 *         paths: [docs/handbook]
 *         splitter: heading       # heading, tokens or whole
 *         maxTokens: 256
 *         overlapTokens: 32
 *   meshDefaults: [payments-handbook]
 *   teamDefaults:
 *     support: [payments-handbook]
 * }</pre>
 *
 * <p>Embeddings use the in-jar all-MiniLM-L6-v2 model. Stores opened here are closed by {@code Mesh.close()}
 * (registered with {@code MeshBuilder.onClose}); ingestion commits before the mesh is built, so nothing is lost.
 * Stateless and thread-safe.
 */
public final class RagConfigurer implements MeshConfigurer {

    @Override
    public String section() {
        return "rag";
    }

    @Override
    public void configure(ConfigNode section, MeshBuilder builder) {
        configure(section, builder, EmbeddingModels::inJar);
    }

    /** As {@link #configure(ConfigNode, MeshBuilder)} with another embedding model (for tests). */
    void configure(ConfigNode section, MeshBuilder builder, Supplier<EmbeddingModel> embeddings) {
        RagPlugin.Builder plugin = RagPlugin.builder();
        section.optionalInteger("topK", 1).ifPresent(k -> wrap(section, "topK", () -> plugin.topK(k)));
        section.optionalInteger("maxCharsPerSource", 100).ifPresent(c -> plugin.maxCharsPerSource(c));

        Map<String, ConfigNode> storeNodes = new LinkedHashMap<>();
        section.optionalChild("stores").ifPresent(stores -> {
            for (String name : stores.keys()) {
                storeNodes.put(name, stores.child(name));
            }
        });
        Map<String, ChunkStore> opened = new LinkedHashMap<>();
        EmbeddingModel model = null;
        for (ConfigNode kbNode : section.nodeList("knowledgeBases")) {
            KnowledgeBase kb = knowledgeBase(kbNode);
            String storeName = kbNode.string("store", "memory");
            ChunkStore store;
            if (storeName.equals("memory") && !storeNodes.containsKey("memory")) {
                store = LuceneChunkStore.inMemory();
                builder.onClose(store);
            } else {
                ConfigNode storeNode = storeNodes.get(storeName);
                if (storeNode == null) {
                    throw kbNode.error("store", "no store named \"" + storeName + "\" under rag.stores; known: "
                            + storeNodes.keySet() + " (or leave it out for a private in-memory store)");
                }
                store = opened.computeIfAbsent(storeName, n -> {
                    ChunkStore s = openStore(storeNode);
                    builder.onClose(s);
                    return s;
                });
            }
            if (model == null) {
                model = embeddings.get();
            }
            ConfigNode retrieval = kbNode.optionalChild("retrieval").orElse(null);
            var hybrid = Retrievers.hybrid(store, model);
            if (retrieval != null) {
                double text = retrieval.number("textWeight", 1.0, 0.0);
                double vector = retrieval.number("vectorWeight", 1.0, 0.0);
                wrap(retrieval, "textWeight", () -> hybrid.weights(text, vector));
                hybrid.rankConstant(retrieval.number("rankConstant", 60, 0.0));
                hybrid.candidates(retrieval.integer("candidates", 50, 1));
                retrieval.requireNoUnknownKeys();
            }
            kbNode.optionalChild("ingest").ifPresent(ingest -> ingest(ingest, kb, store, embeddings));
            wrap(kbNode, "id", () -> plugin.knowledgeBase(kb, hybrid.build()));
        }
        for (String id : section.stringList("meshDefaults")) {
            wrap(section, "meshDefaults", () -> plugin.meshDefaults(id));
        }
        section.optionalChild("teamDefaults").ifPresent(teams -> {
            for (String team : teams.keys()) {
                for (String id : teams.stringList(team)) {
                    wrap(teams, team, () -> plugin.teamDefaults(team, id));
                }
            }
        });
        storeNodes.values().forEach(ConfigNode::requireNoUnknownKeys);
        section.requireNoUnknownKeys();
        builder.install(plugin.build());
    }

    private static KnowledgeBase knowledgeBase(ConfigNode n) {
        String id = n.string("id");
        ConfigNode owner = n.child("owner");
        Ownership ownership = Ownership.of(owner.string("domain"), owner.string("team"));
        owner.requireNoUnknownKeys();
        KnowledgeBase.Builder b = KnowledgeBase.builder(id, ownership).description(n.string("description", ""));
        List<String> teams = n.stringList("allowedTeams");
        List<String> keys = n.stringList("filterKeys");
        LifecycleState state = n.enumValue("lifecycle", LifecycleState.class, LifecycleState.APPROVED);
        wrap(n, "allowedTeams", () -> teams.forEach(t -> {
            if (t.equals(KnowledgeBase.EVERYONE)) {
                b.openToEveryone();
            } else {
                b.allowTeams(t);
            }
        }));
        wrap(n, "filterKeys", () -> b.filterKeys(keys.toArray(String[]::new)));
        b.lifecycle(new Lifecycle(state, Optional.empty(), Optional.empty()));
        KnowledgeBase[] kb = new KnowledgeBase[1];
        wrap(n, "id", () -> kb[0] = b.build());
        return kb[0];
    }

    private static ChunkStore openStore(ConfigNode n) {
        String type = n.string("type", "lucene").toLowerCase(Locale.ROOT);
        LuceneChunkStore.Builder b = LuceneChunkStore.builder();
        switch (type) {
            case "lucene" -> {
                Path dir = Path.of(n.string("directory"));
                wrap(n, "directory", () -> b.directory(dir));
            }
            case "memory" -> n.consume("directory");
            default -> throw n.error("type", "expected lucene or memory, got \"" + type + "\"");
        }
        float heading = (float) n.number("headingBoost", 1.0, 0.0);
        float title = (float) n.number("titleBoost", 1.0, 0.0);
        float k1 = (float) n.number("k1", 1.2, 0.0);
        float bValue = (float) n.number("b", 0.75, 0.0);
        wrap(n, "b", () -> b.bm25(k1, bValue));
        b.headingBoost(heading).titleBoost(title);
        try {
            return b.build();
        } catch (RuntimeException e) {
            throw n.error("directory", "could not open the index: " + e.getMessage());
        }
    }

    private static void ingest(ConfigNode n, KnowledgeBase kb, ChunkStore store, Supplier<EmbeddingModel> model) {
        List<String> paths = n.stringList("paths");
        String kind = n.string("splitter", "heading").toLowerCase(Locale.ROOT);
        int max = n.integer("maxTokens", 256, 8);
        int overlap = n.integer("overlapTokens", 32, 0);
        Splitter[] splitter = new Splitter[1];
        wrap(n, "overlapTokens", () -> splitter[0] = switch (kind) {
            case "heading" -> Splitter.byHeading(max, overlap);
            case "tokens" -> Splitter.byTokens(max, overlap);
            case "whole" -> Splitter.whole();
            default -> throw new IllegalArgumentException("splitter must be heading, tokens or whole, got \""
                    + kind + "\"");
        });
        n.requireNoUnknownKeys();
        List<SourceDocument> docs = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                docs.addAll(DocumentLoader.loadDirectory(path));
            } else if (Files.isRegularFile(path)) {
                docs.add(DocumentLoader.load(path));
            } else {
                throw n.error("paths", "\"" + p + "\" is neither a file nor a directory");
            }
        }
        Ingestor.builder(store).embeddingModel(model.get()).splitter(splitter[0]).build().ingest(kb.id(), docs);
    }

    /** Runs a builder call, turning its {@link IllegalArgumentException} into a config error at {@code key}. */
    private static void wrap(ConfigNode node, String key, Runnable call) {
        try {
            call.run();
        } catch (MeshConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw node.error(key, e.getMessage());
        }
    }
}
