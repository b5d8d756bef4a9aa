package dev.llmmesh.examples;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.llmmesh.CallContext;
import dev.llmmesh.Citation;
import dev.llmmesh.Mesh;
import dev.llmmesh.MeshException;
import dev.llmmesh.MeshResponse;
import dev.llmmesh.Secret;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.providers.openai.OpenAiClient;
import dev.llmmesh.rag.KnowledgeBase;
import dev.llmmesh.rag.RagAttributes;
import dev.llmmesh.rag.RagPlugin;
import dev.llmmesh.rag.ingest.DocumentFormat;
import dev.llmmesh.rag.ingest.DocumentLoader;
import dev.llmmesh.rag.ingest.EmbeddingModels;
import dev.llmmesh.rag.ingest.IngestReport;
import dev.llmmesh.rag.ingest.Ingestor;
import dev.llmmesh.rag.ingest.SourceDocument;
import dev.llmmesh.rag.ingest.Splitter;
import dev.llmmesh.rag.retrieve.Retrievers;
import dev.llmmesh.rag.store.LuceneChunkStore;
import dev.llmmesh.rag.store.ScoredChunk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RAG, offline: ingest three small documents that ship with the examples (Markdown, plain text, HTML) with the in-jar
 * all-MiniLM-L6-v2 model into a Lucene index, register them as a knowledge base owned by the payments domain, ask
 * questions through the mesh, and print the retrieved sources with their scores, the prompt the model received and
 * the citations of the answer. Then show that another team is denied and that an injection string as a metadata
 * filter key is rejected.
 *
 * <p>Offline, the model is an in-process stand-in that answers by quoting its first source. With
 * {@code OPENAI_API_KEY} set (and optionally {@code OPENAI_MODEL}, default {@code gpt-4o-mini}) a real model writes
 * the grounded answer.
 *
 * <p>Run: {@code ./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=RagTour}
 */
public final class RagTour {
    private static final List<String> DOCUMENTS = List.of("payments-handbook.md", "incident-runbook.txt",
            "api-errors.html");
    private static final KnowledgeBase HANDBOOK = KnowledgeBase.builder("payments-handbook",
                    Ownership.of("payments", "payments-core"))
            .description("How money moves: refunds, chargebacks, payouts, incidents, API errors")
            .allowTeams("support")
            .filterKeys("format")
            .build();

    private RagTour() {
    }

    public static void main(String[] args) {
        EmbeddingModel embeddings = EmbeddingModels.inJar();
        try (LuceneChunkStore store = LuceneChunkStore.inMemory()) {
            System.out.println("== 1. Ingest " + DOCUMENTS.size() + " documents into an in-memory Lucene index ==");
            IngestReport report = Ingestor.builder(store).embeddingModel(embeddings)
                    .splitter(Splitter.byHeading(160, 20)).build()
                    .ingest(HANDBOOK.id(), load(), p -> System.out.printf(Locale.ROOT,
                            "   %d/%d documents, %d chunks%n", p.documentsDone(), p.documentsTotal(),
                            p.chunksWritten()));
            System.out.println("   " + report + "\n");

            RagPlugin rag = RagPlugin.builder()
                    .knowledgeBase(HANDBOOK, Retrievers.hybrid(store, embeddings).build())
                    .teamDefaults("support", HANDBOOK.id())
                    .topK(3)
                    .build();
            AtomicReference<String> lastPrompt = new AtomicReference<>("");
            LlmClient model = model(lastPrompt);
            try (Mesh mesh = Mesh.builder().addModel(model).install(rag).build()) {
                System.out.println("== 2. Ask as team \"support\" (model: " + model.descriptor().id() + ") ==");
                CallContext support = CallContext.forTeam("support");
                boolean first = true;
                for (String q : List.of("How long does a refund take to reach the customer?",
                        "What is a chargeback, and how long does the merchant have to answer it?",
                        "Why are refunds paused during a provider outage?")) {
                    System.out.println("\nQ: " + q);
                    for (ScoredChunk c : rag.retrieve(q, support).chunks()) {
                        System.out.printf(Locale.ROOT, "   source %-28s score %.4f  [%s]%n", c.chunk().id(),
                                c.score(), c.chunk().heading());
                    }
                    MeshResponse r = mesh.chat(ask(q), support);
                    if (first) {
                        System.out.println("   --- prompt the model received ---");
                        lastPrompt.get().lines().forEach(l -> System.out.println("   | " + l));
                        System.out.println("   ---------------------------------");
                        first = false;
                    }
                    System.out.println("A: " + r.text().strip());
                    for (Citation c : r.citations()) {
                        System.out.printf(Locale.ROOT, "   [%d] %s (%s, %.4f)%n", c.index(), c.chunkId(),
                                c.sourceUri().isEmpty() ? c.documentId() : c.sourceUri(), c.score());
                    }
                }

                System.out.println("\n== 3. Only HTML sources, through an allow-listed filter key ==");
                CallContext html = support.toBuilder().attribute(RagAttributes.FILTER_PREFIX + "format", "html")
                        .build();
                MeshResponse r = mesh.chat(ask("What does rate_limited mean?"), html);
                r.citations().forEach(c -> System.out.println("   [" + c.index() + "] " + c.chunkId()));

                System.out.println("\n== 4. Governance ==");
                try {
                    mesh.chat(ask("How do payouts work?"), CallContext.builder().team("marketing")
                            .attribute(RagAttributes.KNOWLEDGE_BASES, HANDBOOK.id()).build());
                } catch (MeshException e) {
                    System.out.println("   team marketing: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                try {
                    mesh.chat(ask("refunds"), support.toBuilder().attribute(RagAttributes.FILTER_PREFIX
                            + "')::text IS NOT NULL OR pg_sleep(1) IS NOT NULL --", "x").build());
                } catch (MeshException e) {
                    System.out.println("   injected filter key: " + e.getClass().getSimpleName() + ": "
                            + e.getMessage());
                }
            }
        }
    }

    private static List<SourceDocument> load() {
        List<SourceDocument> docs = new ArrayList<>();
        for (String name : DOCUMENTS) {
            try (InputStream in = RagTour.class.getResourceAsStream("/rag-docs/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("example document rag-docs/" + name + " is missing");
                }
                DocumentFormat format = DocumentFormat.fromFileName(name).orElseThrow();
                docs.add(DocumentLoader.parse(name, in, format, "classpath:/rag-docs/" + name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return docs;
    }

    private static ChatRequest ask(String question) {
        return ChatRequest.builder().messages(
                SystemMessage.from("You answer questions of the support team, briefly, from the sources given."),
                UserMessage.from(question)).build();
    }

    /** A real OpenAI model when OPENAI_API_KEY is set, else an offline stand-in that quotes its first source. */
    private static LlmClient model(AtomicReference<String> lastPrompt) {
        String key = System.getenv("OPENAI_API_KEY");
        if (key != null && !key.isBlank()) {
            String name = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
            LlmClient real = OpenAiClient.builder("openai-" + name, name).apiKey(Secret.env("OPENAI_API_KEY")).build();
            return new LlmClient() {
                @Override
                public ModelDescriptor descriptor() {
                    return real.descriptor();
                }

                @Override
                public ChatResponse chat(ChatRequest request) {
                    lastPrompt.set(UserMessage.findLast(request.messages()).map(UserMessage::singleText).orElse(""));
                    return real.chat(request);
                }

                @Override
                public void close() {
                    real.close();
                }
            };
        }
        Pattern firstSource = Pattern.compile("<source index=\"1\"[^\\n]*\\n(.*?)\\n</source>", Pattern.DOTALL);
        ModelDescriptor offline = ModelDescriptor.builder("offline-quoter", "in-process", "quote-first-source").build();
        return new LlmClient() {
            @Override
            public ModelDescriptor descriptor() {
                return offline;
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                String prompt = UserMessage.findLast(request.messages()).map(UserMessage::singleText).orElse("");
                lastPrompt.set(prompt);
                Matcher m = firstSource.matcher(prompt);
                String answer = m.find() ? firstSentences(m.group(1)) + " [1]" : "I have no source for that.";
                return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
            }
        };
    }

    private static String firstSentences(String text) {
        String body = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).reduce((a, b) -> a + " " + b)
                .orElse(text).strip();
        int end = body.indexOf(". ");
        int second = end < 0 ? -1 : body.indexOf(". ", end + 2);
        return second > 0 ? body.substring(0, second + 1) : body;
    }
}
