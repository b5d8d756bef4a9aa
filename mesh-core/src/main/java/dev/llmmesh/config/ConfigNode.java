package dev.llmmesh.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmmesh.Secret;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one mapping in {@code mesh.yaml} that knows its path (e.g. {@code models[2].pricing}) and
 * records which keys were read, so that keys nobody reads are reported as typos.
 *
 * <p>Typed getters read a key, substitute {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} in string values,
 * validate, and fail with one {@link MeshConfigException} whose message starts with the full path and says what was
 * expected and what was found, e.g. {@code models[2].pricing.input: expected a number >= 0, got "cheap" (line 14)}.
 * Conventions:
 * <ul>
 *   <li>{@code x(key)} requires the key; {@code x(key, default)} and {@code optionalX(key)} do not. A key written
 *       with no value ({@code region:}) counts as absent.</li>
 *   <li>Strings accept any scalar (a number is read as its text). Numbers, booleans and durations accept a string
 *       only when it contains a {@code ${...}} reference (so {@code contextWindow: ${CTX:-8192}} works).</li>
 *   <li>Collections ({@link #stringList}, {@link #stringMap}, {@link #nodeList}) are empty when the key is absent.</li>
 *   <li>Every getter (and {@link #consume}) also declares the key as known here, whether or not it is present:
 *       the known keys are what {@link #requireNoUnknownKeys()} lists and suggests from.</li>
 *   <li>Error messages quote the value as written in the file: a {@code ${VAR}} reference is shown unexpanded;
 *       values of secret-looking keys ({@code apiKey}, {@code token}, {@code password}...) and values that look
 *       like credentials ({@code sk-...}, {@code AKIA...}, long letter-and-digit tokens) are never quoted; and
 *       {@link #secret} values never reach a message, a log or {@link #toString()}.</li>
 * </ul>
 *
 * <p>A typical reader (a {@link MeshConfigurer} or {@link dev.llmmesh.client.LlmClientFactory}):
 * <pre>{@code
 * URI baseUrl = settings.url("baseUrl");
 * Secret apiKey = settings.secret("apiKey");
 * Duration timeout = settings.duration("timeout", Duration.ofSeconds(60));
 * settings.requireNoUnknownKeys();
 * }</pre>
 *
 * <p>Not thread-safe: a node records what is read, and is meant to be read by one thread while the configuration
 * is loaded. Nodes are cheap views over an immutable parsed tree; the same child is returned for the same key.
 */
public final class ConfigNode {
    private static final int ECHO_LIMIT = 60;
    private static final Pattern SENSITIVE = Pattern.compile(
            "(?i).*(key|secret|password|passwd|credential|authorization|bearer|token)");
    private static final Pattern CREDENTIAL_PREFIX = Pattern.compile(
            "(sk-|sk_|gsk_|pk-|rk_|xox[abprs]-|ghp_|gho_|github_pat_|glpat-|AKIA|ASIA|AIza|Bearer\\s)");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_\\-]+");

    private final ConfigSource source;
    private final ObjectNode node;
    private final String path;
    private final int line;
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> read = new HashSet<>();
    private final Map<String, Object> handedOut = new HashMap<>();

    ConfigNode(ConfigSource source, ObjectNode node, String path, int line) {
        this.source = source;
        this.node = node;
        this.path = path;
        this.line = line;
    }

    /**
     * Parses a YAML document whose root is a mapping, substituting {@code ${VAR}} from the process environment.
     *
     * @throws MeshConfigException for a syntax error (naming line and column) or a root that is not a mapping
     */
    public static ConfigNode fromYaml(String yaml) {
        return fromYaml(yaml, System::getenv);
    }

    /**
     * Parses a YAML document whose root is a mapping, looking up {@code ${VAR}} with {@code env} (which returns
     * {@code null} for an unset variable). Tests pass a map's {@code get}.
     *
     * @throws MeshConfigException for a syntax error (naming line and column) or a root that is not a mapping
     */
    public static ConfigNode fromYaml(String yaml, Function<String, @Nullable String> env) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(env, "env");
        YamlReader.Parsed parsed = YamlReader.parse(yaml, env);
        return new ConfigNode(parsed.source(), parsed.root(), "", 1);
    }

    /**
     * A document built in code rather than parsed: for configuration that arrives as a tree, such as Spring Boot's
     * {@code llmmesh.*} properties. {@code tree} holds {@link Map}s (keys as written), {@link List}s, {@link String}s,
     * {@link Number}s, {@link Boolean}s and {@code null}s; {@code ${VAR}} in strings is looked up with {@code env}.
     * Typed getters and error messages work as for {@link #fromYaml}, without line numbers.
     *
     * @throws IllegalArgumentException naming the path of a value of another type
     */
    public static ConfigNode fromTree(Map<String, ?> tree, Function<String, @Nullable String> env) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(env, "env");
        ConfigSource source = new ConfigSource(env, new java.util.IdentityHashMap<>(), new java.util.IdentityHashMap<>());
        return new ConfigNode(source, (ObjectNode) treeNode(tree, ""), "", 0);
    }

    private static JsonNode treeNode(@Nullable Object value, String path) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode o = f.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                o.set(key, treeNode(e.getValue(), childPath(path, key)));
            }
            return o;
        }
        if (value instanceof List<?> list) {
            com.fasterxml.jackson.databind.node.ArrayNode a = f.arrayNode();
            for (int i = 0; i < list.size(); i++) {
                a.add(treeNode(list.get(i), path + "[" + i + "]"));
            }
            return a;
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return f.numberNode(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger bi) {
            return f.numberNode(bi);
        }
        if (value instanceof BigDecimal d) {
            return f.numberNode(d);
        }
        if (value instanceof Double || value instanceof Float) {
            return f.numberNode(new BigDecimal(value.toString()));
        }
        throw new IllegalArgumentException((path.isEmpty() ? "(root)" : path) + ": unsupported value type "
                + value.getClass().getName() + "; use maps, lists, strings, numbers and booleans");
    }

    // ------------------------------------------------------------------ structure

    /** The path of this mapping, e.g. {@code models[2].pricing}; empty for the document root. */
    public String path() {
        return path;
    }

    /** The path of {@code key} in this mapping, e.g. {@code models[2].pricing.input}. */
    public String path(String key) {
        return childPath(path, key);
    }

    /** The keys of this mapping, in document order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return Collections.unmodifiableSet(keys);
    }

    /** Whether {@code key} is present with a value (a key written with no value counts as absent). Reads nothing. */
    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /**
     * Marks {@code key} as read (and known) without reading it: for keys handled elsewhere or deliberately
     * ignored. Absent keys are fine.
     */
    public void consume(String key) {
        Objects.requireNonNull(key, "key");
        known.add(key);
        if (node.has(key)) {
            read.add(key);
        }
    }

    /**
     * Fails on the first key (in document order) that nobody read, here or in any child node handed out by this
     * node. The message names the key's path, suggests the closest known key ("did you mean") and lists the keys
     * known here.
     *
     * @throws MeshConfigException for the first unread key
     */
    public void requireNoUnknownKeys() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!read.contains(key)) {
                Set<String> candidates = new LinkedHashSet<>(known);
                candidates.removeIf(node::has);
                String allowed = known.isEmpty() ? "nothing reads keys here, so remove it"
                        : "keys allowed here: " + String.join(", ", new TreeSet<>(known));
                throw error(key, "unknown key" + Suggestions.didYouMean(key, candidates) + "; " + allowed);
            }
            Object children = handedOut.get(key);
            if (children instanceof ConfigNode) {
                ((ConfigNode) children).requireNoUnknownKeys();
            } else if (children instanceof List) {
                for (Object child : (List<?>) children) {
                    ((ConfigNode) child).requireNoUnknownKeys();
                }
            }
        }
    }

    /**
     * An exception for a bad value of {@code key} (present or not): its message is the key's path, the problem and
     * the source line, e.g. {@code routing.maxAttempts: must be >= 1, got 0 (line 3)}. For readers that validate
     * beyond what the typed getters check; throw the result.
     */
    public MeshConfigException error(String key, String problem) {
        String where = lineSuffix(key);
        if (where.isEmpty() && line > 0) {
            where = " (in the mapping at line " + line + ")";
        }
        return new MeshConfigException(path(key), problem + where);
    }

    /** An exception for a problem with this mapping as a whole, naming its path and line. */
    public MeshConfigException error(String problem) {
        return new MeshConfigException(path, problem + (line > 0 ? " (line " + line + ")" : ""));
    }

    // ------------------------------------------------------------------ strings

    /**
     * The non-blank string at {@code key}.
     *
     * @throws MeshConfigException if absent, blank or not a scalar
     */
    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key, "a non-empty string"));
    }

    /** The string at {@code key}, or {@code defaultValue} when absent. */
    public String string(String key, String defaultValue) {
        return optionalString(key).orElse(defaultValue);
    }

    /**
     * The string at {@code key}, if present.
     *
     * @throws MeshConfigException if present but blank or not a scalar
     */
    public Optional<String> optionalString(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = scalarText(key, v, "a non-empty string");
        if (s.isBlank()) {
            throw typeError(key, "a non-empty string", v);
        }
        return Optional.of(s);
    }

    // ------------------------------------------------------------------ numbers

    /**
     * The integer at {@code key}, at least {@code min}.
     *
     * @throws MeshConfigException if absent, not an integer, out of {@code int} range or below {@code min}
     */
    public int integer(String key, int min) {
        return optionalInteger(key, min).orElseThrow(() -> missing(key, intExpectation(min)));
    }

    /** The integer at {@code key} (at least {@code min}), or {@code defaultValue} when absent. */
    public int integer(String key, int defaultValue, int min) {
        return optionalInteger(key, min).orElse(defaultValue);
    }

    /**
     * The integer at {@code key}, at least {@code min}, if present.
     *
     * @throws MeshConfigException if present but not an integer, out of {@code int} range or below {@code min}
     */
    public Optional<Integer> optionalInteger(String key, int min) {
        return optionalLong(key, min, Integer.MAX_VALUE).map(Long::intValue);
    }

    /** The long integer at {@code key} (at least {@code min}), or {@code defaultValue} when absent. */
    public long longInteger(String key, long defaultValue, long min) {
        return optionalLong(key, min).orElse(defaultValue);
    }

    /**
     * The long integer at {@code key}, at least {@code min}, if present.
     *
     * @throws MeshConfigException if present but not an integer, out of {@code long} range or below {@code min}
     */
    public Optional<Long> optionalLong(String key, long min) {
        return optionalLong(key, min, Long.MAX_VALUE);
    }

    private Optional<Long> optionalLong(String key, long min, long max) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        String expected = intExpectation(min);
        BigDecimal n = numeric(key, v, expected);
        long value;
        try {
            value = n.longValueExact();
        } catch (ArithmeticException e) {
            throw typeError(key, expected, v);
        }
        if (value < min) {
            throw typeError(key, expected, v);
        }
        if (value > max) {
            throw typeError(key, "an integer <= " + max, v);
        }
        return Optional.of(value);
    }

    /**
     * The number at {@code key}, at least {@code min}.
     *
     * @throws MeshConfigException if absent, not a finite number, or below {@code min}
     */
    public double number(String key, double min) {
        return optionalNumber(key, min).orElseThrow(() -> missing(key, numberExpectation(format(min))));
    }

    /** The number at {@code key} (at least {@code min}), or {@code defaultValue} when absent. */
    public double number(String key, double defaultValue, double min) {
        return optionalNumber(key, min).orElse(defaultValue);
    }

    /**
     * The number at {@code key}, at least {@code min}, if present.
     *
     * @throws MeshConfigException if present but not a finite number, or below {@code min}
     */
    public Optional<Double> optionalNumber(String key, double min) {
        return optionalNumber(key, numberExpectation(format(min)), d -> d >= min);
    }

    /** The finite number at {@code key} if present; {@code expected} describes the valid ones in errors. */
    Optional<Double> optionalNumber(String key, String expected, DoublePredicate valid) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        double d = numeric(key, v, expected).doubleValue();
        if (!Double.isFinite(d) || !valid.test(d)) {
            throw typeError(key, expected, v);
        }
        return Optional.of(d);
    }

    /** An error for element {@code index} of the list at {@code key}, naming its path and line. */
    MeshConfigException elementError(String key, int index, String problem) {
        JsonNode list = node.get(key);
        return new MeshConfigException(path(key) + "[" + index + "]",
                problem + (list == null ? "" : lineSuffix(list, index)));
    }

    /**
     * The exact decimal at {@code key}, at least {@code min} (for money).
     *
     * @throws MeshConfigException if absent, not a number, or below {@code min}
     */
    public BigDecimal decimal(String key, BigDecimal min) {
        return optionalDecimal(key, min).orElseThrow(() -> missing(key, numberExpectation(min.toPlainString())));
    }

    /**
     * The exact decimal at {@code key}, at least {@code min}, if present.
     *
     * @throws MeshConfigException if present but not a number, or below {@code min}
     */
    public Optional<BigDecimal> optionalDecimal(String key, BigDecimal min) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        String expected = numberExpectation(min.toPlainString());
        BigDecimal d = numeric(key, v, expected);
        if (d.compareTo(min) < 0) {
            throw typeError(key, expected, v);
        }
        return Optional.of(d);
    }

    // ------------------------------------------------------------------ booleans, durations, instants

    /**
     * The boolean ({@code true} or {@code false}) at {@code key}.
     *
     * @throws MeshConfigException if absent or not a boolean ({@code yes}/{@code no} are not booleans)
     */
    public boolean bool(String key) {
        return optionalBool(key).orElseThrow(() -> missing(key, "true or false"));
    }

    /** The boolean at {@code key}, or {@code defaultValue} when absent. */
    public boolean bool(String key, boolean defaultValue) {
        return optionalBool(key).orElse(defaultValue);
    }

    /**
     * The boolean at {@code key}, if present.
     *
     * @throws MeshConfigException if present but not {@code true} or {@code false}
     */
    public Optional<Boolean> optionalBool(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isBoolean()) {
            return Optional.of(v.booleanValue());
        }
        if (v.isTextual() && EnvExpander.hasExpression(v.textValue())) {
            String s = expand(key, v.textValue()).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Optional.of(Boolean.parseBoolean(s));
            }
        }
        throw typeError(key, "true or false", v);
    }

    /**
     * The duration at {@code key}: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601
     * ({@code PT30S}). Never negative.
     *
     * @throws MeshConfigException if absent or not a duration in one of these forms
     */
    public Duration duration(String key) {
        return optionalDuration(key).orElseThrow(() -> missing(key, Durations.FORMS));
    }

    /** The duration at {@code key}, or {@code defaultValue} when absent. */
    public Duration duration(String key, Duration defaultValue) {
        return optionalDuration(key).orElse(defaultValue);
    }

    /**
     * The duration at {@code key}, if present.
     *
     * @throws MeshConfigException if present but not a duration in an accepted form (a bare number has no unit)
     */
    public Optional<Duration> optionalDuration(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isNumber()) {
            throw typeError(key, Durations.FORMS, v, "; add a unit, e.g. " + v.asText() + "s");
        }
        if (!v.isTextual()) {
            throw typeError(key, Durations.FORMS, v);
        }
        return Optional.of(Durations.parse(expand(key, v.textValue()))
                .orElseThrow(() -> typeError(key, Durations.FORMS, v)));
    }

    /**
     * The instant at {@code key}: ISO-8601 such as {@code 2025-01-15T10:00:00Z}, or a date ({@code 2025-01-15},
     * meaning its start in UTC), if present.
     *
     * @throws MeshConfigException if present but not an ISO-8601 instant or date
     */
    public Optional<Instant> optionalInstant(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        String expected = "an ISO-8601 instant such as 2025-01-15T10:00:00Z, or a date such as 2025-01-15";
        String s = scalarText(key, v, expected).trim();
        try {
            return Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e2) {
                throw typeError(key, expected, v);
            }
        }
    }

    // ------------------------------------------------------------------ URLs, enums, secrets

    /**
     * The URL at {@code key}: absolute {@code http} or {@code https}, with a host, without user info, and not a
     * link-local or cloud-metadata address in any spelling. Loopback and private hosts are allowed.
     *
     * @throws MeshConfigException if absent or not such a URL
     */
    public URI url(String key) {
        return optionalUrl(key).orElseThrow(() -> missing(key, UrlRules.EXPECTED));
    }

    /**
     * The URL at {@code key}, if present, with the rules of {@link #url(String)}.
     *
     * @throws MeshConfigException if present but not such a URL
     */
    public Optional<URI> optionalUrl(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw typeError(key, UrlRules.EXPECTED, v);
        }
        try {
            return Optional.of(UrlRules.check(expand(key, v.textValue())));
        } catch (UrlRules.Problem p) {
            throw error(key, p.getMessage().replace("%s", describe(key, v)));
        }
    }

    /**
     * The enum constant at {@code key}, written as its lowercase name ({@code -} may stand for {@code _}).
     *
     * @throws MeshConfigException listing the valid names (with a "did you mean") if absent or unknown
     */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        return optionalEnum(key, type).orElseThrow(() -> missing(key, "one of " + enumNames(type)));
    }

    /** The enum constant at {@code key}, or {@code defaultValue} when absent. */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        return optionalEnum(key, type).orElse(defaultValue);
    }

    /**
     * The enum constant at {@code key}, if present.
     *
     * @throws MeshConfigException listing the valid names (with a "did you mean") if present but unknown
     */
    public <E extends Enum<E>> Optional<E> optionalEnum(String key, Class<E> type) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        String expected = "one of " + enumNames(type);
        String s = scalarText(key, v, expected);
        return Optional.of(parseEnum(s, type).orElseThrow(() -> typeError(key, expected, v,
                Suggestions.didYouMean(s.trim(), enumNameList(type)))));
    }

    /**
     * The secret at {@code key}, typically {@code apiKey: ${OPENAI_API_KEY}}. The value never reaches an error
     * message, a log or {@link #toString()}; a value that is exactly {@code ${VAR}} gets the
     * {@link Secret#source() source} {@code env:VAR}.
     *
     * @throws MeshConfigException naming the path (never the value) if absent, blank or not a string
     */
    public Secret secret(String key) {
        return optionalSecret(key).orElseThrow(() -> missing(key, "a secret such as ${API_KEY}"));
    }

    /**
     * The secret at {@code key}, if present.
     *
     * @throws MeshConfigException naming the path (never the value) if present but blank or not a string
     */
    public Optional<Secret> optionalSecret(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw error(key, "expected a secret string such as ${API_KEY}, got " + kind(v));
        }
        String raw = v.textValue();
        Optional<String> variable = EnvExpander.onlyReference(raw);
        if (variable.isPresent()) {
            String value = source.env().apply(variable.get());
            if (value == null || value.isBlank()) {
                throw error(key, "environment variable " + variable.get() + " is " + (value == null ? "not set" : "empty")
                        + "; export it with the key as its value");
            }
            return Optional.of(Secret.env(variable.get(), source.env()::apply));
        }
        String value = expand(key, raw);
        if (value.isBlank()) {
            throw error(key, "expected a non-empty secret such as ${API_KEY}, got an empty value");
        }
        return Optional.of(Secret.of(value));
    }

    // ------------------------------------------------------------------ collections and children

    /**
     * The list of strings at {@code key}; empty when absent. Elements may be any scalar.
     *
     * @throws MeshConfigException naming the element's path (e.g. {@code tags[1]}) for a bad element, or if the value
     *                             is not a list
     */
    public List<String> stringList(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw typeError(key, "a list of strings", v,
                    v.isValueNode() ? "; write [" + v.asText() + "] for a list of one" : "");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String elementPath = path(key) + "[" + i + "]";
            String suffix = lineSuffix(v, i);
            if (e.isTextual()) {
                String s = EnvExpander.expand(e.textValue(), source.env(), elementPath, suffix);
                if (s.isBlank()) {
                    throw new MeshConfigException(elementPath, "expected a non-empty string, got " + describe(key, e)
                            + suffix);
                }
                out.add(s);
            } else if (e.isNumber() || e.isBoolean()) {
                out.add(e.asText());
            } else {
                throw new MeshConfigException(elementPath, "expected a non-empty string, got " + describe(key, e)
                        + suffix);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The mapping of strings at {@code key}, in document order; empty when absent. Values may be any scalar and
     * have {@code ${VAR}} substituted; keys are taken as written.
     *
     * @throws MeshConfigException naming the entry's path for a bad value, or if the value is not a mapping
     */
    public Map<String, String> stringMap(String key) {
        JsonNode v = take(key);
        if (v == null) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw typeError(key, "a mapping of strings", v);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : v.properties()) {
            String entryPath = childPath(path(key), f.getKey());
            String suffix = lineSuffix(v, f.getKey());
            JsonNode e = f.getValue();
            if (e.isTextual()) {
                out.put(f.getKey(), EnvExpander.expand(e.textValue(), source.env(), entryPath, suffix));
            } else if (e.isNumber() || e.isBoolean()) {
                out.put(f.getKey(), e.asText());
            } else {
                throw new MeshConfigException(entryPath, "expected a string, got " + describe(f.getKey(), e) + suffix);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The list of mappings at {@code key} (e.g. {@code models}), each a node with path {@code key[i]}; empty when
     * absent. The same list is returned on every call, and {@link #requireNoUnknownKeys()} checks its elements.
     *
     * @throws MeshConfigException if the value is not a list, or an element is not a mapping
     */
    public List<ConfigNode> nodeList(String key) {
        Object cached = handedOut.get(key);
        if (cached instanceof List) {
            @SuppressWarnings("unchecked")
            List<ConfigNode> list = (List<ConfigNode>) cached;
            return list;
        }
        JsonNode v = take(key);
        if (v == null) {
            return List.of();
        }
        if (!v.isArray()) {
            throw typeError(key, "a list of mappings", v);
        }
        List<ConfigNode> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String elementPath = path(key) + "[" + i + "]";
            if (!e.isObject()) {
                throw new MeshConfigException(elementPath, "expected a mapping (key: value lines), got "
                        + describe(key, e) + lineSuffix(v, i));
            }
            out.add(new ConfigNode(source, (ObjectNode) e, elementPath, source.lineOf(v, i)));
        }
        List<ConfigNode> list = List.copyOf(out);
        handedOut.put(key, list);
        return list;
    }

    /**
     * The mapping at {@code key} as a node with path {@code this.path.key}. The same node is returned on every call,
     * and {@link #requireNoUnknownKeys()} checks it.
     *
     * @throws MeshConfigException if absent or not a mapping
     */
    public ConfigNode child(String key) {
        return optionalChild(key).orElseThrow(() -> missing(key, "a mapping"));
    }

    /**
     * The mapping at {@code key}, if present.
     *
     * @throws MeshConfigException if present but not a mapping
     */
    public Optional<ConfigNode> optionalChild(String key) {
        Object cached = handedOut.get(key);
        if (cached instanceof ConfigNode) {
            return Optional.of((ConfigNode) cached);
        }
        JsonNode v = take(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw typeError(key, "a mapping (key: value lines)", v);
        }
        ConfigNode child = new ConfigNode(source, (ObjectNode) v, path(key), source.lineOf(node, key));
        handedOut.put(key, child);
        return Optional.of(child);
    }

    /** As {@link #child}, but an absent or empty key gives an empty mapping (for optional sections). */
    ConfigNode childOrEmpty(String key) {
        return optionalChild(key).orElseGet(() -> {
            ConfigNode empty = new ConfigNode(source, JsonNodeFactory.instance.objectNode(), path(key),
                    source.lineOf(node, key));
            handedOut.put(key, empty);
            return empty;
        });
    }

    /** The path and the keys; never a value. */
    @Override
    public String toString() {
        return "ConfigNode[" + (path.isEmpty() ? "(root)" : path) + ", keys=" + keys() + "]";
    }

    // ------------------------------------------------------------------ internals

    static String childPath(String parent, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : "\"" + key.replace("\"", "\\\"") + "\"";
        return parent.isEmpty() ? k : parent + (k.startsWith("\"") ? "[" + k + "]" : "." + k);
    }

    /** Marks {@code key} known and read; the value, or null when absent or written with no value. */
    private @Nullable JsonNode take(String key) {
        Objects.requireNonNull(key, "key");
        known.add(key);
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        read.add(key);
        return v.isNull() ? null : v;
    }

    private String scalarText(String key, JsonNode v, String expected) {
        if (v.isTextual()) {
            return expand(key, v.textValue());
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw typeError(key, expected, v);
    }

    private BigDecimal numeric(String key, JsonNode v, String expected) {
        if (v.isNumber()) {
            return v.decimalValue();
        }
        if (v.isTextual() && EnvExpander.hasExpression(v.textValue())) {
            try {
                return new BigDecimal(expand(key, v.textValue()).trim());
            } catch (NumberFormatException e) {
                throw typeError(key, expected, v, " (the substituted value is not a number)");
            }
        }
        throw typeError(key, expected, v);
    }

    private String expand(String key, String raw) {
        return EnvExpander.expand(raw, source.env(), path(key), lineSuffix(key));
    }

    private MeshConfigException missing(String key, String expected) {
        return error(key, "required key is missing; expected " + expected);
    }

    private MeshConfigException typeError(String key, String expected, JsonNode found) {
        return typeError(key, expected, found, "");
    }

    private MeshConfigException typeError(String key, String expected, JsonNode found, String hint) {
        return error(key, "expected " + expected + ", got " + describe(key, found) + hint);
    }

    private String lineSuffix(String key) {
        int l = source.lineOf(node, key);
        return l > 0 ? " (line " + l + ")" : "";
    }

    private String lineSuffix(JsonNode list, int index) {
        int l = source.lineOf(list, index);
        return l > 0 ? " (line " + l + ")" : "";
    }

    private String lineSuffix(JsonNode mapping, String key) {
        int l = source.lineOf(mapping, key);
        return l > 0 ? " (line " + l + ")" : "";
    }

    /**
     * How a found value is shown in a message: as written (a {@code ${VAR}} reference unexpanded), except that
     * values of secret-looking keys, and values that look like credentials wherever they are, are not shown.
     */
    static String describe(String key, JsonNode v) {
        if (v.isTextual()) {
            String t = v.textValue();
            if (EnvExpander.onlyReference(t).isPresent()) {
                return quote(t);
            }
            if (SENSITIVE.matcher(key).matches() || looksLikeCredential(t)) {
                return "a string of " + t.length() + " characters";
            }
            return quote(t);
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        return kind(v);
    }

    /**
     * A well-known key prefix ({@code sk-}, {@code gsk_}, {@code AKIA}, {@code AIza}, ...), or a long single token
     * of letters and digits without the punctuation of URLs, host names and times.
     */
    static boolean looksLikeCredential(String s) {
        String t = s.trim();
        if (CREDENTIAL_PREFIX.matcher(t).lookingAt()) {
            return true;
        }
        if (t.length() < 24) {
            return false;
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c) || c == '/' || c == '.' || c == ':') {
                return false;
            }
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        return letter && digit;
    }

    private static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNull()) {
            return "nothing";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        return "a string";
    }

    private static String quote(String s) {
        String t = s.length() > ECHO_LIMIT ? s.substring(0, ECHO_LIMIT) + "..." : s;
        StringBuilder b = new StringBuilder(t.length() + 2).append('"');
        for (char c : t.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String intExpectation(long min) {
        return min == Long.MIN_VALUE || min == Integer.MIN_VALUE ? "an integer" : "an integer >= " + min;
    }

    private static String numberExpectation(String min) {
        return "a number >= " + min;
    }

    private static String format(double d) {
        if (d == -Double.MAX_VALUE || d == Double.NEGATIVE_INFINITY) {
            return "-infinity";
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static <E extends Enum<E>> Optional<E> parseEnum(String text, Class<E> type) {
        String n = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(n)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static <E extends Enum<E>> List<String> enumNameList(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList());
    }

    static <E extends Enum<E>> String enumNames(Class<E> type) {
        return String.join(", ", enumNameList(type));
    }
}
