package dev.llmmesh.redis;

import dev.llmmesh.Secret;
import dev.llmmesh.state.AddResult;
import dev.llmmesh.state.BoundedAdd;
import dev.llmmesh.state.StateReseeder;
import dev.llmmesh.state.StateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} on Redis, shared by every mesh instance that points at the same server and namespace: budgets,
 * rate limits and cooldowns then hold for the fleet, not per process.
 *
 * <pre>{@code
 * StateStore store = RedisStateStore.builder("redis://redis.internal:6379")
 *         .password(Secret.env("REDIS_PASSWORD"))
 *         .build();
 * Mesh mesh = Mesh.builder().stateStore(store).install(budgets).addModel(model).build();
 * }</pre>
 * In {@code mesh.yaml}: {@code state: {redis: {uri: ${REDIS_URL}}}} (see {@link RedisStateConfigurer}).
 *
 * <ul>
 *   <li><b>Atomic</b>: every operation is one Lua script (multi-key reserve within limits, windows, compare-and-set,
 *       settle), so no two instances can pass a check together.</li>
 *   <li><b>Bounded</b>: every call waits at most {@link Builder#timeout(Duration) timeout} (50 ms by default) and
 *       then throws {@link StateStoreUnavailableException}; a breaker opens after 5 failures of the last 10 calls and
 *       rejects calls at once until a probe succeeds ({@link Builder#breakerOpenFor(Duration) 1 s} later). Callers
 *       decide what unknown state means: budgets fail closed, rate limits count locally at limit/N.</li>
 *   <li><b>Cluster-safe keys</b>: every key carries the hash tag {@code {namespace}}, so the keys of one script always
 *       share a slot.</li>
 *   <li><b>Bounded connections</b>: a fixed number of multiplexed connections ({@link Builder#connections(int) 1} by
 *       default), reconnected by Lettuce, with a bounded request queue; no pool grows under load.</li>
 *   <li><b>Loss detected</b>: a marker key without TTL is written with the state; when a script finds it missing (the
 *       server was flushed or restarted empty) every registered {@link StateReseeder} is applied, in one script that
 *       sets the marker again, before the operation runs. Run Redis with {@code maxmemory-policy noeviction} (or a
 *       {@code volatile-*} policy), so that the marker is never evicted.</li>
 *   <li><b>Secrets masked</b>: the password (in the URI or set apart) never appears in messages, logs or
 *       {@link #toString()}.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} closes the connections and the client.
 */
public final class RedisStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);
    private static final String LOST = "MESHLOST";

    private static final String CHECK = "if redis.call('EXISTS', KEYS[1]) == 0 then "
            + "return redis.error_reply('" + LOST + " state marker missing') end\n";
    private static final String TOUCH = "if redis.call('PTTL', k) < 0 then redis.call('PEXPIRE', k, ttl) end\n";

    static final Script ADD = new Script("add", CHECK
            + "local k = KEYS[2]\nlocal ttl = ARGV[2]\n"
            + "local v = redis.call('INCRBY', k, ARGV[1])\n" + TOUCH
            + "return v");
    static final Script COUNTER = new Script("counter", CHECK
            + "return tonumber(redis.call('GET', KEYS[2]) or '0')");
    static final Script ADD_ALL = new Script("addAll", CHECK
            + "local n = #KEYS - 1\n"
            + "local pending = {}\n"
            + "local out = {1, 0}\n"
            + "local violated = 0\n"
            + "for i = 1, n do\n"
            + "  local k = KEYS[i + 1]\n"
            + "  local v = pending[k]\n"
            + "  if v == nil then v = tonumber(redis.call('GET', k) or '0') end\n"
            + "  local d = tonumber(ARGV[3 * i - 2])\n"
            + "  out[i + 2] = v\n"
            + "  if violated == 0 and d > 0 and v + d > tonumber(ARGV[3 * i - 1]) then violated = i end\n"
            + "  pending[k] = v + d\n"
            + "end\n"
            + "if violated > 0 then out[1] = 0; out[2] = violated; return out end\n"
            + "for i = 1, n do\n"
            + "  local k = KEYS[i + 1]\n"
            + "  local ttl = ARGV[3 * i]\n"
            + "  out[i + 2] = redis.call('INCRBY', k, ARGV[3 * i - 2])\n"
            + "  " + TOUCH
            + "end\n"
            + "return out");
    static final Script VALUE = new Script("value", CHECK
            + "return redis.call('GET', KEYS[2])");
    static final Script CAS = new Script("compareAndSet", CHECK
            + "local cur = redis.call('GET', KEYS[2])\n"
            + "if ARGV[1] == '0' then\n"
            + "  if cur then return 0 end\n"
            + "elseif cur ~= ARGV[2] then return 0 end\n"
            + "redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])\n"
            + "return 1");
    static final Script DELETE = new Script("delete", CHECK
            + "return redis.call('DEL', KEYS[2])");
    static final Script RESEED = new Script("reseed",
            "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end\n"
            + "for i = 2, #KEYS do\n"
            + "  local k = KEYS[i]\n"
            + "  local ttl = ARGV[2 * i - 1]\n"
            + "  redis.call('INCRBY', k, ARGV[2 * i - 2])\n"
            + "  " + TOUCH
            + "end\n"
            + "redis.call('SET', KEYS[1], ARGV[1])\n"
            + "return 1");

    /** One Lua script, called by its SHA-1 and loaded again when the server has forgotten it. */
    record Script(String name, String source, String sha) {
        Script(String name, String source) {
            this(name, source, sha1(source));
        }
    }

    private final RedisClient client;
    private final ClientResources resources;
    private final RedisURI uri;
    private final String display;
    private final List<String> secrets;
    /** The URI's passwords as {@link Secret}s: registered with the mesh's secret mask while the store lives. */
    private final List<Secret> registered;
    private final Duration timeout;
    private final String tag;
    private final String marker;
    private final Slot[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private final CircuitBreaker breaker;
    private final List<StateReseeder> reseeders = new CopyOnWriteArrayList<>();
    private final Object reseedLock = new Object();
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong reseeds = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();

    private RedisStateStore(Builder b) {
        this.uri = b.redisUri();
        this.secrets = b.secrets();
        this.registered = secrets.stream().filter(p -> !p.isBlank()).map(Secret::of).toList();
        this.display = displayUri(uri, !secrets.isEmpty(), b.user());
        this.timeout = b.timeout;
        this.tag = "{" + b.namespace + "}:";
        this.marker = tag + "_state";
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(b.ioThreads)
                .computationThreadPoolSize(b.ioThreads).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(b.requestQueueSize)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(b.connectTimeout).keepAlive(true).build())
                .build());
        this.slots = new Slot[b.connections];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
        this.breaker = CircuitBreaker.of("redis-state", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.breakerWindow)
                .minimumNumberOfCalls(b.breakerFailures)
                .failureRateThreshold(100f * b.breakerFailures / b.breakerWindow)
                .waitDurationInOpenState(b.breakerOpenFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(Throwable.class)
                .build());
        breaker.getEventPublisher().onStateTransition(e -> LOG.warn("redis state store {}: breaker {}", display,
                e.getStateTransition()));
        for (Slot s : slots) {
            s.connect();
        }
        long until = System.nanoTime() + b.connectTimeout.toNanos();
        for (Slot s : slots) {
            s.awaitFirst(until); // the mesh starts even while Redis is down: calls fail until it connects
        }
    }

    /** A builder for a server at {@code uri} ({@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://}). */
    public static Builder builder(String uri) {
        return new Builder(Objects.requireNonNull(uri, "uri"));
    }

    // ------------------------------------------------------------------ StateStore

    @Override
    public long addAndGet(String key, long delta, Duration ttl) {
        Long v = run(ADD, ScriptOutputType.INTEGER, new String[] {marker, k(key)},
                Long.toString(delta), Long.toString(ttlMillis(ttl)));
        return v;
    }

    @Override
    public long getCounter(String key) {
        Long v = run(COUNTER, ScriptOutputType.INTEGER, new String[] {marker, k(key)});
        return v;
    }

    @Override
    public AddResult addAllWithinLimits(List<BoundedAdd> adds) {
        Objects.requireNonNull(adds, "adds");
        if (adds.isEmpty()) {
            return new AddResult(true, List.of(), OptionalInt.empty());
        }
        String[] keys = new String[adds.size() + 1];
        String[] args = new String[adds.size() * 3];
        keys[0] = marker;
        for (int i = 0; i < adds.size(); i++) {
            BoundedAdd a = adds.get(i);
            keys[i + 1] = k(a.key());
            args[3 * i] = Long.toString(a.delta());
            args[3 * i + 1] = Long.toString(a.limit());
            args[3 * i + 2] = Long.toString(ttlMillis(a.ttl()));
        }
        List<Object> out = run(ADD_ALL, ScriptOutputType.MULTI, keys, args);
        boolean applied = ((Long) out.get(0)) == 1L;
        List<Long> values = new ArrayList<>(adds.size());
        for (int i = 0; i < adds.size(); i++) {
            values.add((Long) out.get(i + 2));
        }
        int violated = ((Long) out.get(1)).intValue();
        return new AddResult(applied, values, applied ? OptionalInt.empty() : OptionalInt.of(violated - 1));
    }

    @Override
    public Optional<String> get(String key) {
        String v = run(VALUE, ScriptOutputType.VALUE, new String[] {marker, k(key)});
        return Optional.ofNullable(v);
    }

    @Override
    public boolean compareAndSet(String key, @Nullable String expected, String value, Duration ttl) {
        Objects.requireNonNull(value, "value");
        Long v = run(CAS, ScriptOutputType.INTEGER, new String[] {marker, k(key)}, expected == null ? "0" : "1",
                expected == null ? "" : expected, value, Long.toString(ttlMillis(ttl)));
        return v == 1L;
    }

    @Override
    public void delete(String key) {
        run(DELETE, ScriptOutputType.INTEGER, new String[] {marker, k(key)});
    }

    /** Registers {@code reseeder}; it is applied (with every other) the next time the state is found lost. */
    @Override
    public void onStateLost(StateReseeder reseeder) {
        reseeders.add(Objects.requireNonNull(reseeder, "reseeder"));
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            s.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ observability

    /**
     * What the store did since it was built.
     *
     * @param roundTrips Redis commands sent (a script not yet cached by the server counts twice)
     * @param failures   calls that failed or timed out
     * @param rejected   calls refused at once by the open breaker
     * @param reseeds    times this instance found the state lost and wrote the reseeders' counters back
     * @param breaker    the breaker's state ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN})
     */
    public record Stats(long roundTrips, long failures, long rejected, long reseeds, String breaker) {
    }

    /** Counts since the store was built. */
    public Stats stats() {
        return new Stats(roundTrips.get(), failures.get(), rejected.get(), reseeds.get(), breaker.getState().name());
    }

    /** The per-call timeout. */
    public Duration timeout() {
        return timeout;
    }

    /** The full Redis key of mesh key {@code key} (with this store's hash tag). */
    public String redisKey(String key) {
        return k(key);
    }

    @Override
    public String toString() {
        return "RedisStateStore[" + display + ", namespace " + tag.substring(0, tag.length() - 1) + ", timeout "
                + timeout.toMillis() + " ms, " + slots.length + " connection(s)]";
    }

    // ------------------------------------------------------------------ calls

    private <T> T run(Script script, ScriptOutputType type, String[] keys, String... args) {
        long seen = generation.get();
        try {
            return call(script, type, keys, args);
        } catch (StateLostException lost) {
            reseed(seen);
            return call(script, type, keys, args);
        }
    }

    private <T> T call(Script script, ScriptOutputType type, String[] keys, String... args) {
        if (!breaker.tryAcquirePermission()) {
            rejected.incrementAndGet();
            throw new StateStoreUnavailableException("redis state store " + display + ": breaker open after repeated "
                    + "failures; calls are refused at once until a probe succeeds", null);
        }
        long start = System.nanoTime();
        try {
            T result = evaluate(script, type, keys, args, timeout);
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (StateLostException lost) {
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS); // the server answered
            throw lost;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            failures.incrementAndGet();
            throw unavailable(script.name(), e);
        }
    }

    private <T> T evaluate(Script script, ScriptOutputType type, String[] keys, String[] args, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        RedisAsyncCommands<String, String> commands = slot().commands(deadline);
        roundTrips.incrementAndGet();
        try {
            return await(commands.evalsha(script.sha(), type, keys, args), deadline);
        } catch (RedisNoScriptException notCached) {
            roundTrips.incrementAndGet();
            return await(commands.eval(script.source(), type, keys, args), deadline);
        }
    }

    private static <T> T await(RedisFuture<T> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new RedisTimeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RedisCommandExecutionException rce && rce.getMessage() != null
                    && rce.getMessage().startsWith(LOST)) {
                throw new StateLostException();
            }
            if (cause instanceof RedisNoScriptException noScript) {
                throw noScript;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Applies every reseeder once, unless another instance (or thread) already did. */
    private void reseed(long seen) {
        synchronized (reseedLock) {
            if (generation.get() != seen) {
                return; // another thread of this instance reseeded while this one waited
            }
            Map<String, long[]> merged = new LinkedHashMap<>();
            try {
                for (StateReseeder r : reseeders) {
                    for (BoundedAdd a : r.counters()) {
                        long[] m = merged.computeIfAbsent(k(a.key()), x -> new long[2]);
                        m[0] += a.delta();
                        m[1] = Math.max(m[1], ttlMillis(a.ttl()));
                    }
                }
            } catch (RuntimeException e) {
                throw new StateStoreUnavailableException("redis state store " + display + ": the shared state was "
                        + "lost and reading the durable record to rebuild it failed (" + e.getClass().getSimpleName()
                        + ": " + mask(String.valueOf(e.getMessage())) + "); nothing is admitted on unknown state "
                        + "until it can be read", null);
            }
            String[] keys = new String[merged.size() + 1];
            String[] args = new String[merged.size() * 2 + 1];
            keys[0] = marker;
            args[0] = UUID.randomUUID().toString();
            int i = 1;
            for (Map.Entry<String, long[]> e : merged.entrySet()) {
                keys[i] = e.getKey();
                args[2 * i - 1] = Long.toString(e.getValue()[0]);
                args[2 * i] = Long.toString(Math.max(1, e.getValue()[1]));
                i++;
            }
            Long done;
            try {
                // may write many counters: allowed longer than one call, and not through the breaker
                done = evaluate(RESEED, ScriptOutputType.INTEGER, keys, args, timeout.multipliedBy(20));
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw unavailable("reseed", e);
            }
            generation.incrementAndGet();
            if (done == 1L) {
                reseeds.incrementAndGet();
                LOG.warn("redis state store {}: the shared state was lost (flushed or restarted empty); rebuilt {} "
                        + "counter(s) from the durable record before admitting again", display, merged.size());
            }
        }
    }

    private StateStoreUnavailableException unavailable(String operation, RuntimeException e) {
        String why = e instanceof RedisTimeout
                ? "no answer within " + timeout.toMillis() + " ms"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + mask(e.getMessage()));
        return new StateStoreUnavailableException("redis state store " + display + ": " + operation + " failed ("
                + why + ")", e instanceof RedisTimeout ? null : new MaskedCause(e, this::mask));
    }

    private String mask(String text) {
        String out = text;
        for (String s : secrets) {
            if (!s.isEmpty()) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    private Slot slot() {
        return slots[Math.floorMod(next.getAndIncrement(), slots.length)];
    }

    private String k(String key) {
        return tag + Objects.requireNonNull(key, "key");
    }

    private static long ttlMillis(Duration ttl) {
        long ms = ttl.toMillis();
        return Math.max(1, ms);
    }

    static String displayUri(RedisURI uri, boolean hasPassword, @Nullable String user) {
        StringBuilder b = new StringBuilder(uri.isSsl() ? "rediss://" : "redis://");
        if (hasPassword) {
            b.append(user == null ? "" : user).append(":***@");
        }
        b.append(uri.getHost()).append(':').append(uri.getPort());
        if (uri.getDatabase() != 0) {
            b.append('/').append(uri.getDatabase());
        }
        return b.toString();
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JVM", e);
        }
    }

    /** One multiplexed connection, opened asynchronously and opened again when an attempt failed. */
    private final class Slot {
        private volatile @Nullable StatefulRedisConnection<String, String> connection;
        private volatile @Nullable CompletableFuture<StatefulRedisConnection<String, String>> pending;
        private volatile long lastAttempt;
        private volatile boolean closed;

        synchronized void connect() {
            if (closed || connection != null) {
                return;
            }
            CompletableFuture<StatefulRedisConnection<String, String>> p = pending;
            if (p != null && (!p.isDone() || System.nanoTime() - lastAttempt < 1_000_000_000L)) {
                return;
            }
            lastAttempt = System.nanoTime();
            CompletableFuture<StatefulRedisConnection<String, String>> f =
                    client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            pending = f;
            f.whenComplete((c, e) -> {
                if (c != null) {
                    synchronized (Slot.this) {
                        if (closed) {
                            c.closeAsync();
                        } else {
                            connection = c;
                        }
                    }
                }
            });
        }

        void awaitFirst(long until) {
            CompletableFuture<StatefulRedisConnection<String, String>> p = pending;
            if (p == null) {
                return;
            }
            try {
                p.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("redis state store {}: not connected yet ({}); calls fail until it is", display,
                        e.getClass().getSimpleName());
            }
        }

        RedisAsyncCommands<String, String> commands(long deadline) {
            StatefulRedisConnection<String, String> c = connection;
            if (c != null) {
                return c.async();
            }
            connect();
            CompletableFuture<StatefulRedisConnection<String, String>> p = pending;
            if (p == null) {
                throw new IllegalStateException("the store is closed");
            }
            try {
                c = p.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return c.async();
            } catch (TimeoutException e) {
                throw new RedisTimeout();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
            }
        }

        synchronized void close() {
            closed = true;
            StatefulRedisConnection<String, String> c = connection;
            if (c != null) {
                c.close();
            }
        }
    }

    /** No answer in time. */
    private static final class RedisTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedisTimeout() {
            super("timeout", null, false, false);
        }
    }

    /** The marker key is gone: the state must be reseeded. */
    private static final class StateLostException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StateLostException() {
            super("state lost", null, false, false);
        }
    }

    /** A client exception with secrets masked in its message (and no cause chain that could hold them). */
    private static final class MaskedCause extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MaskedCause(Throwable original, java.util.function.UnaryOperator<String> mask) {
            super(original.getClass().getName() + (original.getMessage() == null ? ""
                    : ": " + mask.apply(original.getMessage())), null, false, true);
            setStackTrace(original.getStackTrace());
        }
    }

    // ------------------------------------------------------------------ builder

    /** Builds a {@link RedisStateStore}. Not thread-safe. */
    public static final class Builder {
        private final String uriText;
        private @Nullable Secret password;
        private Duration timeout = Duration.ofMillis(50);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private String namespace = "llmmesh";
        private int connections = 1;
        private int ioThreads = 2;
        private int requestQueueSize = 10_000;
        private int breakerFailures = 5;
        private int breakerWindow = 10;
        private Duration breakerOpenFor = Duration.ofSeconds(1);

        private Builder(String uri) {
            this.uriText = uri;
        }

        /** The password, kept apart from the URI (it wins over one in the URI). */
        public Builder password(Secret password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** How long one call may take, connecting included (default 50 ms). */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /** How long a connection attempt may take in the background (default 1 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * The hash tag of every key (default {@code llmmesh}): instances with the same namespace share state; every
         * key lives in the slot of this tag on a cluster.
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (!namespace.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("namespace must be 1-64 characters of [A-Za-z0-9._-], got \""
                        + namespace + "\"");
            }
            this.namespace = namespace;
            return this;
        }

        /** Multiplexed connections, used in turn (default 1, at most 16). */
        public Builder connections(int connections) {
            if (connections < 1 || connections > 16) {
                throw new IllegalArgumentException("connections must be 1..16, got " + connections);
            }
            this.connections = connections;
            return this;
        }

        /** Commands one connection may queue before new ones are refused (default 10,000). */
        public Builder requestQueueSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("requestQueueSize must be >= 1, got " + size);
            }
            this.requestQueueSize = size;
            return this;
        }

        /**
         * The breaker opens when {@code failures} of the last {@code window} calls failed (default 5 of 10), and lets
         * one probe through after {@code openFor} (default 1 s).
         */
        public Builder breaker(int failures, int window, Duration openFor) {
            if (failures < 1 || window < failures) {
                throw new IllegalArgumentException("breaker needs 1 <= failures <= window, got " + failures + " of "
                        + window);
            }
            this.breakerFailures = failures;
            this.breakerWindow = window;
            this.breakerOpenFor = positive(openFor, "openFor");
            return this;
        }

        /** As {@link #breaker(int, int, Duration)} with the default counts. */
        public Builder breakerOpenFor(Duration openFor) {
            this.breakerOpenFor = positive(openFor, "openFor");
            return this;
        }

        /** Netty I/O threads of the client (default 2). */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1, got " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * Builds the store and connects, waiting at most {@link #connectTimeout(Duration) connectTimeout}: a server
         * that is down makes calls fail (and budgets fail closed) until it answers, not the build.
         *
         * @throws IllegalArgumentException if the URI is not a Redis URI (the message never shows its password)
         */
        public RedisStateStore build() {
            redisUri();
            return new RedisStateStore(this);
        }

        RedisURI redisUri() {
            RedisURI u;
            try {
                u = RedisURI.create(uriText);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a Redis URI (" + maskedUriText()
                        + "); expected redis://[[user]:password@]host[:port][/db] or rediss://...");
            }
            if (u.getHost() == null || u.getHost().isBlank() || !(uriText.startsWith("redis://")
                    || uriText.startsWith("rediss://"))) {
                throw new IllegalArgumentException("not a Redis URI (" + maskedUriText()
                        + "); expected redis://[[user]:password@]host[:port][/db] or rediss://...");
            }
            if (password != null) {
                u.setAuthentication(user() == null ? "default" : user(), password.reveal());
            }
            u.setTimeout(timeout);
            return u;
        }

        /** The user of the URI's user info, if any. */
        @Nullable String user() {
            String info = userInfo();
            if (info == null) {
                return null;
            }
            int colon = info.indexOf(':');
            String user = colon < 0 ? "" : info.substring(0, colon);
            return user.isEmpty() ? null : user;
        }

        /** Every secret this store knows: the password set apart and the one in the URI. */
        List<String> secrets() {
            List<String> out = new ArrayList<>();
            if (password != null) {
                out.add(password.reveal());
            }
            String info = userInfo();
            if (info != null) {
                int colon = info.indexOf(':');
                String pw = colon < 0 ? info : info.substring(colon + 1);
                if (!pw.isEmpty()) {
                    out.add(pw);
                    out.add(java.net.URLDecoder.decode(pw, StandardCharsets.UTF_8));
                }
            }
            return List.copyOf(out);
        }

        private @Nullable String userInfo() {
            int scheme = uriText.indexOf("://");
            int at = uriText.lastIndexOf('@');
            int slash = uriText.indexOf('/', scheme + 3);
            if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) {
                return null;
            }
            return uriText.substring(scheme + 3, at);
        }

        private String maskedUriText() {
            return uriText.replaceAll("//[^@/]*@", "//***@");
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
