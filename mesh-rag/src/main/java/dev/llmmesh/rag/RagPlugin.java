package dev.llmmesh.rag;

import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.CallContext;
import dev.llmmesh.Citation;
import dev.llmmesh.ErrorKind;
import dev.llmmesh.MeshBuilder;
import dev.llmmesh.MeshPlugin;
import dev.llmmesh.NonRetryableException;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.intercept.CallScope;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.rag.internal.SourcesPrompt;
import dev.llmmesh.rag.retrieve.Fusion;
import dev.llmmesh.rag.retrieve.RetrievalRequest;
import dev.llmmesh.rag.retrieve.Retriever;
import dev.llmmesh.rag.store.Chunk;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grounds mesh calls in knowledge bases. Installing the plugin registers every {@link KnowledgeBase} in the mesh's
 * catalog and adds one call interceptor that, for each call:
 * <ol>
 *   <li>picks the knowledge bases: the call's {@link RagAttributes#KNOWLEDGE_BASES} attribute, else the calling
 *       team's defaults, else the mesh's defaults (none: the call passes through untouched);</li>
 *   <li>checks access on every one against {@link CallContext#team()} and the catalog's current lifecycle
 *       (an explicitly requested knowledge base the team may not read fails the call with a
 *       {@link PolicyDeniedException}; a default it may not read is skipped), and checks every
 *       {@link RagAttributes#FILTER_PREFIX filter key} against each knowledge base's allow-list, rejecting the call
 *       with a {@link NonRetryableException} ({@link ErrorKind#BAD_REQUEST}) before anything is retrieved;</li>
 *   <li>retrieves with each knowledge base's {@link Retriever}, fuses the lists by reciprocal rank when there are
 *       several, and appends the chosen chunks to the last user message as numbered sources, fenced as data;</li>
 *   <li>records one {@link Citation} per injected chunk, so they reach {@link dev.llmmesh.MeshResponse#citations()},
 *       and the chunks under {@link #RETRIEVED} in the call scope for later interceptors.</li>
 * </ol>
 *
 * <pre>{@code
 * RagPlugin rag = RagPlugin.builder()
 *     .knowledgeBase(handbook, Retrievers.hybrid(store, EmbeddingModels.inJar()).build())
 *     .teamDefaults("payments", "payments-handbook")
 *     .build();
 * Mesh mesh = Mesh.builder().addModel(client).install(rag).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe once built; install it on one mesh.
 */
public final class RagPlugin implements MeshPlugin {
    /** The chunks injected into the call, in source order. */
    public static final CallScope.Key<RetrievedSources> RETRIEVED = CallScope.Key.of("rag.retrieved",
            RetrievedSources.class);
    /** The policy id on access denials. */
    public static final String ACCESS_POLICY = "rag/knowledge-base.access";

    private static final Logger LOG = LoggerFactory.getLogger(RagPlugin.class);
    private static final int MAX_TOP_K = 50;
    private static final int MAX_FILTER_VALUE = 512;

    private final Map<String, KnowledgeBase> knowledgeBases;
    private final Map<String, Retriever> retrievers;
    private final List<String> meshDefaults;
    private final Map<String, List<String>> teamDefaults;
    private final int topK;
    private final int maxCharsPerSource;
    private volatile @Nullable Catalog catalog;

    private RagPlugin(Builder b) {
        this.knowledgeBases = Collections.unmodifiableMap(new LinkedHashMap<>(b.knowledgeBases));
        this.retrievers = Map.copyOf(b.retrievers);
        this.meshDefaults = List.copyOf(b.meshDefaults);
        Map<String, List<String>> td = new TreeMap<>();
        b.teamDefaults.forEach((t, ids) -> td.put(t, List.copyOf(ids)));
        this.teamDefaults = Collections.unmodifiableMap(td);
        this.topK = b.topK;
        this.maxCharsPerSource = b.maxCharsPerSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the knowledge bases as catalog items and the RAG call interceptor.
     *
     * @throws IllegalStateException if the plugin is already installed on a mesh builder
     */
    @Override
    public synchronized void install(MeshBuilder builder) {
        if (catalog != null) {
            throw new IllegalStateException("this RagPlugin is already installed; build one plugin per mesh");
        }
        knowledgeBases.values().forEach(builder::addCatalogItem);
        catalog = builder.catalog();
        builder.addCallInterceptor(new RagInterceptor(this));
    }

    /** The registered knowledge bases, by id, as registered (the catalog holds their current lifecycle). */
    public Map<String, KnowledgeBase> knowledgeBases() {
        return knowledgeBases;
    }

    /**
     * What the interceptor would inject for {@code question} in {@code context}, with every check applied: useful to
     * show sources without calling a model.
     *
     * @throws PolicyDeniedException if an explicitly requested knowledge base may not be read by the caller
     * @throws NonRetryableException if a filter key is not allow-listed, or an attribute is malformed
     */
    public RetrievedSources retrieve(String question, CallContext context) {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(context, "context");
        Plan plan = plan(context);
        if (plan.knowledgeBases.isEmpty() || question.isBlank()) {
            return RetrievedSources.NONE;
        }
        List<List<ScoredChunk>> lists = new ArrayList<>();
        for (KnowledgeBase kb : plan.knowledgeBases) {
            RetrievalRequest request = new RetrievalRequest(question, kb.id(), plan.filter, plan.topK);
            List<ScoredChunk> got = retrievers.get(kb.id()).retrieve(request);
            List<ScoredChunk> own = new ArrayList<>(got.size());
            for (ScoredChunk c : got) {
                if (c.chunk().knowledgeBase().equals(kb.id())) {
                    own.add(c);
                } else {
                    LOG.warn("retriever of knowledge base {} returned a chunk of another knowledge base; dropped",
                            kb.id());
                }
            }
            lists.add(own);
        }
        List<ScoredChunk> chosen;
        if (lists.size() == 1) {
            chosen = lists.get(0).size() <= plan.topK ? lists.get(0) : lists.get(0).subList(0, plan.topK);
        } else {
            chosen = Fusion.reciprocalRank(lists, Collections.nCopies(lists.size(), 1.0), 60, plan.topK);
        }
        List<Citation> citations = new ArrayList<>(chosen.size());
        for (int i = 0; i < chosen.size(); i++) {
            Chunk c = chosen.get(i).chunk();
            citations.add(new Citation(i + 1, c.documentId(), c.id(), chosen.get(i).score(), c.sourceUri(),
                    SourcesPrompt.sourceText(c, maxCharsPerSource)));
        }
        return new RetrievedSources(chosen, citations);
    }

    private Plan plan(CallContext context) {
        Map<String, String> attrs = context.attributes();
        List<String> requested = new ArrayList<>();
        boolean explicit = attrs.containsKey(RagAttributes.KNOWLEDGE_BASES);
        if (explicit) {
            for (String id : attrs.get(RagAttributes.KNOWLEDGE_BASES).split(",")) {
                if (!id.isBlank()) {
                    requested.add(id.strip());
                }
            }
        } else {
            requested.addAll(context.team().map(t -> teamDefaults.getOrDefault(t, meshDefaults)).orElse(meshDefaults));
        }
        List<KnowledgeBase> readable = new ArrayList<>();
        for (String id : new LinkedHashSet<>(requested)) {
            Optional<KnowledgeBase> kb = current(id);
            if (kb.isEmpty() || !retrievers.containsKey(id)) {
                if (explicit) {
                    throw new NonRetryableException(ErrorKind.NOT_FOUND, "no knowledge base \""
                            + SourcesPrompt.sanitizeForMessage(id) + "\" is registered with the RAG plugin; "
                            + "register it with RagPlugin.builder().knowledgeBase(..)", null, null);
                }
                continue;
            }
            if (!kb.get().permits(context.team())) {
                if (explicit) {
                    throw new PolicyDeniedException(ACCESS_POLICY, "team "
                            + context.team().map(t -> "\"" + t + "\"").orElse("(none)")
                            + " may not read knowledge base \"" + id + "\" (state "
                            + kb.get().lifecycle().state().name().toLowerCase(Locale.ROOT)
                            + "); ask its owner " + kb.get().owner().domain() + "/" + kb.get().owner().team()
                            + " for access", null);
                }
                continue;
            }
            readable.add(kb.get());
        }
        Map<String, String> filter = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attrs.entrySet()) {
            if (!e.getKey().startsWith(RagAttributes.FILTER_PREFIX)) {
                continue;
            }
            String key = e.getKey().substring(RagAttributes.FILTER_PREFIX.length());
            if (!KnowledgeBase.isWellFormedKey(key)) {
                throw new NonRetryableException(ErrorKind.BAD_REQUEST, "filter key \""
                        + SourcesPrompt.sanitizeForMessage(key) + "\" is malformed; filter keys look like "
                        + "[A-Za-z][A-Za-z0-9_.-]* and must be allow-listed by the knowledge base", null, null);
            }
            for (KnowledgeBase kb : readable) {
                if (!kb.allowsFilterKey(key)) {
                    throw new NonRetryableException(ErrorKind.BAD_REQUEST, "filter key \""
                            + SourcesPrompt.sanitizeForMessage(key) + "\" is not allow-listed for knowledge base \""
                            + kb.id() + "\"; allowed keys: " + new TreeSet<>(kb.filterKeys()), null, null);
                }
            }
            if (e.getValue().length() > MAX_FILTER_VALUE) {
                throw new NonRetryableException(ErrorKind.BAD_REQUEST, "filter value for key \"" + key
                        + "\" is longer than " + MAX_FILTER_VALUE + " characters", null, null);
            }
            filter.put(key, e.getValue());
        }
        int k = topK;
        String kAttr = attrs.get(RagAttributes.TOP_K);
        if (kAttr != null) {
            try {
                k = Integer.parseInt(kAttr.strip());
            } catch (NumberFormatException ex) {
                k = -1;
            }
            if (k < 1 || k > MAX_TOP_K) {
                throw new NonRetryableException(ErrorKind.BAD_REQUEST, RagAttributes.TOP_K
                        + " must be a whole number from 1 to " + MAX_TOP_K + ", got \""
                        + SourcesPrompt.sanitizeForMessage(kAttr) + "\"", null, null);
            }
        }
        return new Plan(readable, filter, k);
    }

    private Optional<KnowledgeBase> current(String id) {
        Catalog c = catalog;
        if (c != null) {
            return c.find(KnowledgeBase.class, id);
        }
        return Optional.ofNullable(knowledgeBases.get(id));
    }

    /** Whether retrieval is turned off for this call. */
    static boolean disabled(CallContext context) {
        return "false".equalsIgnoreCase(context.attributes().getOrDefault(RagAttributes.ENABLED, "true").strip());
    }

    private record Plan(List<KnowledgeBase> knowledgeBases, Map<String, String> filter, int topK) {
    }

    /**
     * The chunks chosen for a call, best first, and the citations under which they were injected (same order).
     *
     * @param chunks    the chunks with their retrieval (or fused) scores
     * @param citations one per chunk, numbered from 1
     */
    public record RetrievedSources(List<ScoredChunk> chunks, List<Citation> citations) {
        public RetrievedSources {
            chunks = List.copyOf(chunks);
            citations = List.copyOf(citations);
            if (chunks.size() != citations.size()) {
                throw new IllegalArgumentException(chunks.size() + " chunks but " + citations.size() + " citations");
            }
        }

        /** Nothing retrieved. */
        public static final RetrievedSources NONE = new RetrievedSources(List.of(), List.of());

        public boolean isEmpty() {
            return chunks.isEmpty();
        }
    }

    /** Configures a {@link RagPlugin}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, KnowledgeBase> knowledgeBases = new LinkedHashMap<>();
        private final Map<String, Retriever> retrievers = new LinkedHashMap<>();
        private final List<String> meshDefaults = new ArrayList<>();
        private final Map<String, List<String>> teamDefaults = new LinkedHashMap<>();
        private int topK = 4;
        private int maxCharsPerSource = 4000;

        private Builder() {
        }

        /**
         * Registers a knowledge base and the retriever that searches it.
         *
         * @throws IllegalArgumentException if a knowledge base with the same id is already registered
         */
        public Builder knowledgeBase(KnowledgeBase knowledgeBase, Retriever retriever) {
            Objects.requireNonNull(knowledgeBase, "knowledgeBase");
            Objects.requireNonNull(retriever, "retriever");
            if (knowledgeBases.containsKey(knowledgeBase.id())) {
                throw new IllegalArgumentException("knowledge base \"" + knowledgeBase.id()
                        + "\" is already registered");
            }
            knowledgeBases.put(knowledgeBase.id(), knowledgeBase);
            retrievers.put(knowledgeBase.id(), retriever);
            return this;
        }

        /**
         * Knowledge bases every call is grounded in unless its team has defaults or the call names its own.
         *
         * @throws IllegalArgumentException if an id is not registered (register knowledge bases first)
         */
        public Builder meshDefaults(String... knowledgeBaseIds) {
            for (String id : knowledgeBaseIds) {
                meshDefaults.add(requireRegistered(id));
            }
            return this;
        }

        /**
         * Knowledge bases the calls of {@code team} are grounded in unless a call names its own.
         *
         * @throws IllegalArgumentException if the team is blank or an id is not registered
         */
        public Builder teamDefaults(String team, String... knowledgeBaseIds) {
            if (Objects.requireNonNull(team, "team").isBlank()) {
                throw new IllegalArgumentException("team must not be blank");
            }
            List<String> ids = teamDefaults.computeIfAbsent(team, t -> new ArrayList<>());
            for (String id : knowledgeBaseIds) {
                ids.add(requireRegistered(id));
            }
            return this;
        }

        /**
         * How many chunks to inject per call (default 4).
         *
         * @throws IllegalArgumentException if not in [1, 50]
         */
        public Builder topK(int k) {
            if (k < 1 || k > MAX_TOP_K) {
                throw new IllegalArgumentException("topK must be in [1, " + MAX_TOP_K + "], got " + k);
            }
            this.topK = k;
            return this;
        }

        /**
         * The most characters of one chunk that are injected (default 4000); longer chunks are cut with a marker.
         *
         * @throws IllegalArgumentException if {@code chars < 100}
         */
        public Builder maxCharsPerSource(int chars) {
            if (chars < 100) {
                throw new IllegalArgumentException("maxCharsPerSource must be >= 100, got " + chars);
            }
            this.maxCharsPerSource = chars;
            return this;
        }

        public RagPlugin build() {
            return new RagPlugin(this);
        }

        private String requireRegistered(String id) {
            if (!knowledgeBases.containsKey(Objects.requireNonNull(id, "id"))) {
                throw new IllegalArgumentException("knowledge base \"" + id + "\" is not registered; call "
                        + "knowledgeBase(..) before naming it as a default");
            }
            return id;
        }
    }

    /** The call interceptor. */
    private static final class RagInterceptor implements Interceptor {
        private final RagPlugin plugin;

        RagInterceptor(RagPlugin plugin) {
            this.plugin = plugin;
        }

        @Override
        public ChatResponse intercept(Chain chain) {
            ChatRequest request = chain.request();
            if (disabled(chain.context())) {
                return chain.proceed(request);
            }
            Optional<UserMessage> last =
                    UserMessage.findLast(request.messages());
            String question = last.map(RagInterceptor::text).orElse("");
            RetrievedSources sources = plugin.retrieve(question, chain.context());
            if (sources.isEmpty()) {
                return chain.proceed(request);
            }
            List<Chunk> chunks = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < sources.chunks().size(); i++) {
                chunks.add(sources.chunks().get(i).chunk());
                texts.add(sources.citations().get(i).text());
            }
            var user = last.orElseThrow();
            String augmented = SourcesPrompt.augment(question, chunks, texts);
            List<Content> contents = new ArrayList<>();
            boolean replaced = false;
            for (var c : user.contents()) {
                if (!replaced && c instanceof TextContent) {
                    contents.add(TextContent.from(augmented));
                    replaced = true;
                } else if (!(c instanceof TextContent)) {
                    contents.add(c);
                }
            }
            var newUser = user.toBuilder().contents(contents).build();
            var newRequest = request.toBuilder()
                    .messages(UserMessage.replaceLast(request.messages(), newUser))
                    .build();
            chain.call().put(RETRIEVED, sources);
            chain.call().addCitations(sources.citations());
            return chain.proceed(newRequest);
        }

        private static String text(UserMessage m) {
            StringBuilder sb = new StringBuilder();
            for (var c : m.contents()) {
                if (c instanceof TextContent t) {
                    sb.append(sb.length() == 0 ? "" : "\n").append(t.text());
                }
            }
            return sb.toString();
        }

        @Override
        public String name() {
            return "rag";
        }

        @Override
        public String toString() {
            return "RagInterceptor" + plugin.knowledgeBases.keySet();
        }
    }
}
