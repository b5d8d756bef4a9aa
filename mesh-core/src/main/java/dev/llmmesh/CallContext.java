package dev.llmmesh;

import dev.llmmesh.client.Capability;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling and under what constraints: tenant, team, user, tags, timeout, data class, required
 * capabilities, and free-form attributes for interceptors. Immutable and thread-safe; copy with
 * {@link #toBuilder()}.
 *
 * <p>{@link #EMPTY} is the context of a call that says nothing: no identity, no timeout beyond the mesh default,
 * data class {@link DataClass#PUBLIC}.
 */
public final class CallContext {
    /** A context with nothing set. */
    public static final CallContext EMPTY = builder().build();

    private static final ThreadLocal<@Nullable CallContext> CURRENT = new ThreadLocal<>();

    private final @Nullable String requestId;
    private final @Nullable String tenant;
    private final @Nullable String team;
    private final @Nullable String user;
    private final Map<String, String> tags;
    private final @Nullable Duration timeout;
    private final DataClass dataClass;
    private final Set<Capability> requiredCapabilities;
    private final Map<String, String> attributes;
    private final @Nullable Integer maxAttempts;

    private CallContext(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.requestId = b.requestId;
        this.tenant = b.tenant;
        this.team = b.team;
        this.user = b.user;
        this.tags = Map.copyOf(b.tags);
        this.timeout = b.timeout;
        this.dataClass = b.dataClass;
        this.requiredCapabilities = b.requiredCapabilities.isEmpty()
                ? Set.of() : Set.copyOf(EnumSet.copyOf(b.requiredCapabilities));
        this.attributes = Map.copyOf(b.attributes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A context for {@code team}, otherwise empty. */
    public static CallContext forTeam(String team) {
        return builder().team(team).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.requestId = requestId;
        b.tenant = tenant;
        b.team = team;
        b.user = user;
        b.tags.putAll(tags);
        b.timeout = timeout;
        b.dataClass = dataClass;
        b.requiredCapabilities.addAll(requiredCapabilities);
        b.attributes.putAll(attributes);
        b.maxAttempts = maxAttempts;
        return b;
    }

    /** A caller-chosen request id (for idempotency and correlation); the mesh generates one when absent. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    public Optional<String> tenant() {
        return Optional.ofNullable(tenant);
    }

    public Optional<String> team() {
        return Optional.ofNullable(team);
    }

    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** Free-form low-cardinality labels such as {@code feature=search}. */
    public Map<String, String> tags() {
        return tags;
    }

    /** The time the whole call (all attempts and backoffs) may take; the mesh default applies when absent. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** How sensitive the call's data is. */
    public DataClass dataClass() {
        return dataClass;
    }

    /** Capabilities the chosen model must have, beyond those the request itself implies. */
    public Set<Capability> requiredCapabilities() {
        return requiredCapabilities;
    }

    /** Attributes for interceptors (e.g. {@code rag.knowledgeBase}). */
    public Map<String, String> attributes() {
        return attributes;
    }

    /** A per-call cap on attempts, below the mesh's; {@code 1} disables fallbacks and retries for this call. */
    public Optional<Integer> maxAttempts() {
        return Optional.ofNullable(maxAttempts);
    }

    /**
     * The context bound to this thread by {@link #makeCurrent()} (or {@link #call}/{@link #run}), if any. The mesh's
     * langchain4j facades ({@code Mesh.asChatModel}, {@code Mesh.asStreamingChatModel}) read it on every call and lay
     * it over their own context, so one AiServices proxy serves every caller with the caller's identity.
     */
    public static Optional<CallContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Binds this context to the current thread until the returned scope is closed; scopes nest (closing restores the
     * context bound before). Use it around an AiServices call to give that one call its caller's identity:
     *
     * <pre>{@code
     * Assistant assistant = AiServices.create(Assistant.class, mesh.asChatModel()); // one proxy for everyone
     * try (CallContext.Scope s = CallContext.builder().team("search").user(userId).build().makeCurrent()) {
     *     return assistant.answer(question); // budgets, rate limits, policies and audit see team and user
     * }
     * }</pre>
     *
     * Streaming follow-up calls langchain4j makes from the mesh's threads (tool loops) carry the context too.
     */
    public Scope makeCurrent() {
        CallContext previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(previous);
    }

    /** Runs {@code work} with this context {@linkplain #makeCurrent() current} and returns its result. */
    public <T> T call(java.util.function.Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        try (Scope ignored = makeCurrent()) {
            return work.get();
        }
    }

    /** Runs {@code work} with this context {@linkplain #makeCurrent() current}. */
    public void run(Runnable work) {
        Objects.requireNonNull(work, "work");
        try (Scope ignored = makeCurrent()) {
            work.run();
        }
    }

    /**
     * This context laid over {@code base}: what this one sets wins (request id, tenant, team, user, timeout, attempts
     * cap); tags and attributes are merged with this one's winning; the data class is the higher of the two and the
     * required capabilities are the union.
     */
    public CallContext over(CallContext base) {
        Objects.requireNonNull(base, "base");
        if (base == EMPTY || base == this) {
            return this;
        }
        Builder b = base.toBuilder();
        if (requestId != null) {
            b.requestId = requestId;
        }
        if (tenant != null) {
            b.tenant = tenant;
        }
        if (team != null) {
            b.team = team;
        }
        if (user != null) {
            b.user = user;
        }
        if (timeout != null) {
            b.timeout = timeout;
        }
        if (maxAttempts != null) {
            b.maxAttempts = maxAttempts;
        }
        b.tags.putAll(tags);
        b.attributes.putAll(attributes);
        if (dataClass.ordinal() > b.dataClass.ordinal()) {
            b.dataClass = dataClass;
        }
        b.requiredCapabilities.addAll(requiredCapabilities);
        return b.build();
    }

    /** A binding made by {@link #makeCurrent()}; closing it restores what was current before. Close it once. */
    public static final class Scope implements AutoCloseable {
        private final @Nullable CallContext previous;
        private boolean closed;

        private Scope(@Nullable CallContext previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    @Override
    public String toString() {
        return "CallContext{tenant=" + tenant + ", team=" + team + ", user=" + user + ", tags=" + tags
                + ", timeout=" + timeout + ", dataClass=" + dataClass + ", requiredCapabilities="
                + requiredCapabilities + '}';
    }

    /** Builds a {@link CallContext}. Not thread-safe. */
    public static final class Builder {
        private @Nullable String requestId;
        private @Nullable String tenant;
        private @Nullable String team;
        private @Nullable String user;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private @Nullable Duration timeout;
        private DataClass dataClass = DataClass.PUBLIC;
        private final Set<Capability> requiredCapabilities = EnumSet.noneOf(Capability.class);
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private @Nullable Integer maxAttempts;

        private Builder() {
        }

        /**
         * Caps this call's attempts (the mesh's own cap still applies).
         *
         * @throws IllegalArgumentException if {@code maxAttempts < 1}
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** No fallback and no retry for this call: one attempt, and its error reaches the caller. */
        public Builder disableFallbacks() {
            return maxAttempts(1);
        }

        public Builder requestId(String requestId) {
            this.requestId = requireText(requestId, "requestId");
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = requireText(tenant, "tenant");
            return this;
        }

        public Builder team(String team) {
            this.team = requireText(team, "team");
            return this;
        }

        public Builder user(String user) {
            this.user = requireText(user, "user");
            return this;
        }

        public Builder tag(String key, String value) {
            tags.put(requireText(key, "tag key"), Objects.requireNonNull(value, "tag value"));
            return this;
        }

        /**
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder dataClass(DataClass dataClass) {
            this.dataClass = Objects.requireNonNull(dataClass, "dataClass");
            return this;
        }

        public Builder require(Capability... capabilities) {
            for (Capability c : capabilities) {
                requiredCapabilities.add(Objects.requireNonNull(c, "capability"));
            }
            return this;
        }

        public Builder attribute(String key, String value) {
            attributes.put(requireText(key, "attribute key"), Objects.requireNonNull(value, "attribute value"));
            return this;
        }

        public CallContext build() {
            return new CallContext(this);
        }

        private static String requireText(@Nullable String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s;
        }
    }
}
