package dev.llmmesh.governance.pii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmmesh.DataClass;
import dev.llmmesh.governance.guardrail.FailMode;
import dev.llmmesh.net.HostRefusedException;
import dev.llmmesh.net.HostRules;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PiiDetector} backed by a <a href="https://microsoft.github.io/presidio/">Presidio Analyzer</a> that a team
 * already runs, over its REST API: {@code POST {baseUrl}/analyze} with {@code {"text", "language", "entities",
 * "score_threshold"}}, answered by a JSON array of {@code {"entity_type", "start", "end", "score"}}. Combine it with
 * the built-in detectors in a {@link PiiScanner}; overlaps are resolved there.
 *
 * <pre>{@code
 * PiiDetector presidio = PresidioAnalyzerDetector.builder(URI.create("http://presidio:5002"))
 *         .language("en").minScore(0.5).timeout(Duration.ofSeconds(2)).build();
 * PiiScanner scanner = PiiScanner.builder().add(PiiDetectors.builtIn()).add(presidio).build();
 * }</pre>
 *
 * <p>Presidio's entity names map to the mesh's types: {@code PERSON}, {@code EMAIL_ADDRESS} to
 * {@link EntityType#EMAIL}, {@code PHONE_NUMBER} to {@link EntityType#PHONE}, {@code CREDIT_CARD}, {@code IBAN_CODE} to {@link EntityType#IBAN},
 * {@code US_SSN}, {@code IP_ADDRESS}, {@code DATE_TIME}, {@code URL} and {@code DOMAIN_NAME} to
 * {@link EntityType#DOMAIN_NAME}, {@code US_DRIVER_LICENSE}, {@code AGE}; {@code LOCATION}, {@code ORGANIZATION} and
 * {@code NRP} (nationality, religious or political group) to the custom types {@link #LOCATION},
 * {@link #ORGANIZATION} and {@link #NRP}; {@code US_PASSPORT}, {@code US_BANK_NUMBER}, {@code US_ITIN},
 * {@code CRYPTO}, {@code MEDICAL_LICENSE} and {@code UK_NHS} to restricted custom types of the same name. Any other
 * name you list in {@link Builder#entities(Collection)} becomes a confidential custom type of that name; a name the
 * analyzer reports that is neither mapped nor listed is skipped.
 *
 * <p>Presidio counts offsets in Unicode code points; they are converted to the {@code char} offsets of
 * {@link PiiSpan}. Spans reaching outside the text are clipped to it, empty ones dropped; overlapping spans are
 * returned as they are (the scanner resolves them).
 *
 * <p>When the analyzer cannot be reached, times out, answers with a status other than 200, answers more than
 * {@link Builder#maxResponseBytes(int)} bytes or something that is not Presidio's format, the {@link FailMode}
 * decides: {@link FailMode#CLOSED} (the default) throws a {@link PiiDetectionException} naming the analyzer URL and
 * the reason, never the text, so the call fails rather than sending unscanned text on; {@link FailMode#OPEN} logs a
 * warning (URL and reason only) and reports nothing, so the text passes unscanned by this detector (the other
 * detectors of the scanner still run).
 *
 * <p>The base URL must be {@code http} or {@code https} without user info, query or fragment, and its host is judged
 * by {@link HostRules#localServersAllowed()}: loopback and private addresses (an analyzer next to the application)
 * are allowed, cloud metadata and other never-connect addresses are refused at build time, and a host name is
 * resolved and its addresses judged again before every request. Redirects are not followed. The text is sent to the
 * analyzer and nowhere else, and never logged. Immutable and thread-safe.
 */
public final class PresidioAnalyzerDetector implements PiiDetector {
    /** Presidio's {@code LOCATION}: cities, countries, places. */
    public static final EntityType LOCATION = new EntityType("LOCATION", DataClass.CONFIDENTIAL);
    /** Presidio's {@code ORGANIZATION}: company and institution names. */
    public static final EntityType ORGANIZATION = new EntityType("ORGANIZATION", DataClass.INTERNAL);
    /** Presidio's {@code NRP}: a nationality, religious or political group. */
    public static final EntityType NRP = new EntityType("NRP", DataClass.CONFIDENTIAL);
    /** The default request timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** The default cap on the analyzer's answer, 1 MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

    /** Presidio entity name to mesh type, for the names with a fixed mapping. */
    public static final Map<String, EntityType> DEFAULT_MAPPING = defaultMapping();

    private static final Logger LOG = LoggerFactory.getLogger(PresidioAnalyzerDetector.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTITY_NAME = Pattern.compile("[A-Z][A-Z0-9_]{1,40}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})?");

    private final URI analyzeUrl;
    private final String host;
    private final boolean literalHost;
    private final String language;
    private final double minScore;
    private final Duration timeout;
    private final List<String> entities;
    private final FailMode failMode;
    private final int maxResponseBytes;
    private final Map<String, EntityType> mapping;
    private final Set<EntityType> types;
    private final HttpClient http;

    private PresidioAnalyzerDetector(Builder b, URI analyzeUrl) {
        this.analyzeUrl = analyzeUrl;
        this.host = analyzeUrl.getHost();
        this.literalHost = HostRules.literal(host).isPresent();
        this.language = b.language;
        this.minScore = b.minScore;
        this.timeout = b.timeout;
        this.entities = List.copyOf(b.entities);
        this.failMode = b.failMode;
        this.maxResponseBytes = b.maxResponseBytes;
        Map<String, EntityType> m = new LinkedHashMap<>();
        if (entities.isEmpty()) {
            m.putAll(DEFAULT_MAPPING);
        } else {
            for (String e : entities) {
                m.put(e, DEFAULT_MAPPING.getOrDefault(e, new EntityType(e, DataClass.CONFIDENTIAL)));
            }
        }
        this.mapping = Map.copyOf(m);
        this.types = Set.copyOf(new LinkedHashSet<>(m.values()));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    /** A builder for an analyzer at {@code baseUrl}, such as {@code http://presidio-analyzer:5002}. */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** The URL requests go to, {@code {baseUrl}/analyze}. */
    public URI analyzeUrl() {
        return analyzeUrl;
    }

    /** What happens when the analyzer fails. */
    public FailMode failMode() {
        return failMode;
    }

    @Override
    public Set<EntityType> types() {
        return types;
    }

    /**
     * Asks the analyzer for the entities in {@code text}.
     *
     * @throws PiiDetectionException when the analyzer fails and the fail mode is {@link FailMode#CLOSED}
     */
    @Override
    public List<PiiSpan> detect(CharSequence text) {
        Objects.requireNonNull(text, "text");
        if (text.length() == 0) {
            return List.of();
        }
        String s = text.toString();
        try {
            return parse(call(s), s);
        } catch (Failure f) {
            if (failMode == FailMode.OPEN) {
                LOG.warn("Presidio analyzer at {} failed ({}); the text passes unscanned by it (fail open)",
                        analyzeUrl, f.getMessage());
                return List.of();
            }
            throw new PiiDetectionException("Presidio analyzer at " + analyzeUrl + " failed (" + f.getMessage()
                    + "); PII detection fails closed, so the call is not sent on. Fix or start the analyzer, or "
                    + "choose failMode open to let text pass unscanned by it");
        }
    }

    private byte[] call(String text) throws Failure {
        if (!literalHost) {
            try {
                HostRules.localServersAllowed().resolve(host);
            } catch (HostRefusedException e) {
                throw new Failure(e.getMessage());
            }
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("text", text);
        body.put("language", language);
        if (!entities.isEmpty()) {
            ArrayNode list = body.putArray("entities");
            entities.forEach(list::add);
        }
        if (minScore > 0) {
            body.put("score_threshold", minScore);
        }
        byte[] payload;
        try {
            payload = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new Failure("request could not be written");
        }
        HttpRequest request = HttpRequest.newBuilder(analyzeUrl).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new Failure("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new Failure("cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new Failure("answered HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes(maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw new Failure("answer larger than " + maxResponseBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new Failure("answer could not be read: " + e.getClass().getSimpleName());
        }
    }

    private List<PiiSpan> parse(byte[] answer, String text) throws Failure {
        JsonNode root;
        try {
            root = JSON.readTree(new String(answer, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure("answer is not JSON");
        }
        if (root == null || !root.isArray()) {
            throw new Failure("answer is not a JSON array of results");
        }
        int codePoints = text.codePointCount(0, text.length());
        boolean surrogates = codePoints != text.length();
        List<PiiSpan> out = new ArrayList<>(root.size());
        for (JsonNode r : root) {
            JsonNode type = r.get("entity_type");
            JsonNode start = r.get("start");
            JsonNode end = r.get("end");
            JsonNode score = r.get("score");
            if (!r.isObject() || type == null || !type.isTextual() || start == null || !start.isIntegralNumber()
                    || end == null || !end.isIntegralNumber() || score == null || !score.isNumber()
                    || !Double.isFinite(score.asDouble())) {
                throw new Failure("answer is not a list of {entity_type, start, end, score} results");
            }
            EntityType mapped = mapping.get(type.asText());
            double sc = Math.max(0, Math.min(1, score.asDouble()));
            if (mapped == null || sc < minScore) {
                continue;
            }
            long from = Math.max(0, Math.min(codePoints, start.asLong()));
            long to = Math.max(0, Math.min(codePoints, end.asLong()));
            if (to <= from) {
                continue;
            }
            int cs = surrogates ? text.offsetByCodePoints(0, (int) from) : (int) from;
            int ce = surrogates ? text.offsetByCodePoints(cs, (int) (to - from)) : (int) to;
            out.add(new PiiSpan(mapped, cs, ce, sc));
        }
        out.sort(Comparator.comparingInt(PiiSpan::start).thenComparingInt(PiiSpan::end));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "presidio(" + analyzeUrl + ", " + language + ", minScore " + minScore + ", fail "
                + failMode.name().toLowerCase(Locale.ROOT) + ")";
    }

    private static Map<String, EntityType> defaultMapping() {
        Map<String, EntityType> m = new LinkedHashMap<>();
        m.put("PERSON", EntityType.PERSON);
        m.put("EMAIL_ADDRESS", EntityType.EMAIL);
        m.put("PHONE_NUMBER", EntityType.PHONE);
        m.put("CREDIT_CARD", EntityType.CREDIT_CARD);
        m.put("IBAN_CODE", EntityType.IBAN);
        m.put("US_SSN", EntityType.US_SSN);
        m.put("IP_ADDRESS", EntityType.IP_ADDRESS);
        m.put("DATE_TIME", EntityType.DATE_TIME);
        m.put("URL", EntityType.DOMAIN_NAME);
        m.put("DOMAIN_NAME", EntityType.DOMAIN_NAME);
        m.put("US_DRIVER_LICENSE", EntityType.US_DRIVER_LICENSE);
        m.put("AGE", EntityType.AGE);
        m.put("LOCATION", LOCATION);
        m.put("ORGANIZATION", ORGANIZATION);
        m.put("NRP", NRP);
        for (String restricted : List.of("US_PASSPORT", "US_BANK_NUMBER", "US_ITIN", "CRYPTO", "MEDICAL_LICENSE",
                "UK_NHS")) {
            m.put(restricted, new EntityType(restricted, DataClass.RESTRICTED));
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Why a request failed; never carries the text. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Configures a {@link PresidioAnalyzerDetector}. Not thread-safe. */
    public static final class Builder {
        private final URI baseUrl;
        private String language = "en";
        private double minScore = 0.5;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final List<String> entities = new ArrayList<>();
        private FailMode failMode = FailMode.CLOSED;
        private int maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;

        private Builder(URI baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** The language Presidio analyzes in ({@code en} by default); one its NLP engine is configured for. */
        public Builder language(String language) {
            Objects.requireNonNull(language, "language");
            if (!LANGUAGE.matcher(language).matches()) {
                throw new IllegalArgumentException("language must be a language code such as en or de, got \""
                        + language + "\"");
            }
            this.language = language;
            return this;
        }

        /** Results scoring below this are ignored (0.5 by default); also sent as {@code score_threshold}. */
        public Builder minScore(double minScore) {
            if (!(minScore >= 0 && minScore <= 1)) {
                throw new IllegalArgumentException("minScore must be in [0, 1], got " + minScore);
            }
            this.minScore = minScore;
            return this;
        }

        /** The connect and request timeout (2 s by default); a request taking longer is a failure. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The Presidio entity names to ask for, such as {@code PERSON} and {@code LOCATION}; by default the request
         * lists none and the analyzer reports all it knows (only the mapped ones are kept).
         *
         * @throws IllegalArgumentException if a name is not upper snake case
         */
        public Builder entities(Collection<String> names) {
            List<String> checked = new ArrayList<>();
            for (String n : names) {
                if (n == null || !ENTITY_NAME.matcher(n).matches()) {
                    throw new IllegalArgumentException("Presidio entity names are upper snake case such as PERSON "
                            + "or EMAIL_ADDRESS, got \"" + n + "\"");
                }
                checked.add(n);
            }
            entities.clear();
            entities.addAll(new LinkedHashSet<>(checked));
            return this;
        }

        /** As {@link #entities(Collection)}. */
        public Builder entities(String... names) {
            return entities(Arrays.asList(names));
        }

        /** What happens when the analyzer fails: {@link FailMode#CLOSED} by default. */
        public Builder failMode(FailMode failMode) {
            this.failMode = Objects.requireNonNull(failMode, "failMode");
            return this;
        }

        /** The largest answer read, in bytes (1 MiB by default); a larger one is a failure. */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 2) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 2, got " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the base URL is not an http(s) URL with a host, has user info, a query
         *                                  or a fragment, or points at a host the mesh never connects to
         */
        public PresidioAnalyzerDetector build() {
            String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!baseUrl.isAbsolute() || baseUrl.isOpaque() || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("the Presidio analyzer URL must be an http(s) URL such as "
                        + "http://presidio-analyzer:5002");
            }
            if (baseUrl.getRawUserInfo() != null) {
                throw new IllegalArgumentException("the Presidio analyzer URL must not contain user info");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("the Presidio analyzer URL must not have a query or fragment");
            }
            String h = baseUrl.getHost();
            if (h == null || h.isEmpty()) {
                throw new IllegalArgumentException("the Presidio analyzer URL needs a host, e.g. "
                        + "http://presidio-analyzer:5002");
            }
            HostRules.localServersAllowed().hostRefusal(h).ifPresent(reason -> {
                throw new IllegalArgumentException("the Presidio analyzer URL points at a host the mesh never "
                        + "connects to (" + h + ": " + reason + ")");
            });
            String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            URI analyze;
            try {
                analyze = new URI(scheme + "://" + baseUrl.getRawAuthority() + path + "/analyze");
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("the Presidio analyzer URL is not valid");
            }
            return new PresidioAnalyzerDetector(this, analyze);
        }
    }
}
