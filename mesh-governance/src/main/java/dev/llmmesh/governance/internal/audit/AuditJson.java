package dev.llmmesh.governance.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.Verdict;
import dev.llmmesh.governance.audit.AuditRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The JSON form of {@link AuditRecord}: one line, fields in a fixed order, absent optionals left out, amounts as
 * decimal strings, instants and durations in ISO-8601. Thread-safe.
 */
public final class AuditJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {
    }

    public static String write(AuditRecord r) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", AuditRecord.FORMAT_VERSION);
            g.writeStringField("recordId", r.recordId());
            g.writeStringField("requestId", r.requestId());
            g.writeStringField("startedAt", r.startedAt().toString());
            g.writeStringField("latency", r.latency().toString());
            opt(g, "tenant", r.tenant());
            opt(g, "team", r.team());
            opt(g, "user", r.user());
            opt(g, "apiKeyId", r.apiKeyId());
            opt(g, "agentRun", r.agentRun());
            if (!r.tags().isEmpty()) {
                g.writeObjectFieldStart("tags");
                for (Map.Entry<String, String> t : new TreeMap<>(r.tags()).entrySet()) {
                    g.writeStringField(t.getKey(), t.getValue());
                }
                g.writeEndObject();
            }
            g.writeBooleanField("streaming", r.streaming());
            opt(g, "requestedModel", r.requestedModel());
            opt(g, "model", r.model());
            opt(g, "provider", r.provider());
            g.writeArrayFieldStart("attempts");
            for (AuditRecord.AttemptInfo a : r.attempts()) {
                g.writeStartObject();
                g.writeNumberField("n", a.number());
                g.writeStringField("model", a.model());
                g.writeStringField("latency", a.latency().toString());
                opt(g, "error", a.error());
                opt(g, "detail", a.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (r.routing().isPresent()) {
                AuditRecord.Routing rt = r.routing().get();
                g.writeObjectFieldStart("routing");
                g.writeStringField("strategy", rt.strategy());
                g.writeArrayFieldStart("plan");
                for (String p : rt.plan()) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("rejected");
                for (AuditRecord.Rejection x : rt.rejected()) {
                    g.writeStartObject();
                    g.writeStringField("model", x.model());
                    g.writeStringField("reason", x.reason());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeNumberField("estimatedInputTokens", rt.estimatedInputTokens());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("decisions");
            for (AuditRecord.Decision d : r.decisions()) {
                g.writeStartObject();
                g.writeStringField("policyId", d.policyId());
                g.writeStringField("decision", d.decision().name());
                g.writeStringField("detail", d.detail());
                opt(g, "model", d.model());
                g.writeStringField("source", d.source().name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("tokens");
            g.writeNumberField("input", r.tokens().input());
            g.writeNumberField("output", r.tokens().output());
            g.writeNumberField("cachedInput", r.tokens().cachedInput());
            g.writeNumberField("reasoning", r.tokens().reasoning());
            g.writeEndObject();
            g.writeStringField("costUsd", r.costUsd().toPlainString());
            g.writeBooleanField("costKnown", r.costKnown());
            if (r.reservedUsd().isPresent()) {
                g.writeStringField("reservedUsd", r.reservedUsd().get().toPlainString());
            }
            g.writeObjectFieldStart("outcome");
            g.writeBooleanField("ok", r.outcome().ok());
            opt(g, "error", r.outcome().error());
            opt(g, "detail", r.outcome().detail());
            g.writeEndObject();
            content(g, "prompt", r.prompt());
            if (r.response().isPresent()) {
                content(g, "response", r.response().get());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an audit record to a string failed", e);
        }
        return out.toString();
    }

    /**
     * @throws IllegalArgumentException if {@code json} is not an audit record of a known format version
     */
    public static AuditRecord read(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON"
                    + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at column " + j.getLocation().getColumnNr() : ""), e);
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an audit record must be a JSON object");
        }
        int v = n.path("v").asInt(-1);
        if (v != AuditRecord.FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown audit record format version " + n.path("v")
                    + "; this reader knows version " + AuditRecord.FORMAT_VERSION);
        }
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            List<AuditRecord.AttemptInfo> attempts = list(n.path("attempts"), a -> new AuditRecord.AttemptInfo(
                    a.path("n").asInt(), req(a, "model"), Duration.parse(req(a, "latency")), opt(a, "error"),
                    opt(a, "detail")));
            Optional<AuditRecord.Routing> routing = Optional.empty();
            if (n.has("routing")) {
                JsonNode rt = n.get("routing");
                routing = Optional.of(new AuditRecord.Routing(req(rt, "strategy"), list(rt.path("plan"), JsonNode::asText),
                        list(rt.path("rejected"), x -> new AuditRecord.Rejection(req(x, "model"), req(x, "reason"))),
                        rt.path("estimatedInputTokens").asInt()));
            }
            List<AuditRecord.Decision> decisions = list(n.path("decisions"), d -> new AuditRecord.Decision(
                    req(d, "policyId"), Verdict.Decision.valueOf(req(d, "decision")), req(d, "detail"),
                    opt(d, "model"), AuditRecord.Source.valueOf(req(d, "source"))));
            JsonNode t = n.path("tokens");
            AuditRecord.Tokens tokens = new AuditRecord.Tokens(t.path("input").asLong(), t.path("output").asLong(),
                    t.path("cachedInput").asLong(), t.path("reasoning").asLong());
            JsonNode o = n.path("outcome");
            AuditRecord.Outcome outcome = new AuditRecord.Outcome(o.path("ok").asBoolean(), opt(o, "error"),
                    opt(o, "detail"));
            return new AuditRecord(req(n, "recordId"), req(n, "requestId"), Instant.parse(req(n, "startedAt")),
                    Duration.parse(req(n, "latency")), opt(n, "tenant"), opt(n, "team"), opt(n, "user"),
                    opt(n, "apiKeyId"), opt(n, "agentRun"), tags, n.path("streaming").asBoolean(),
                    opt(n, "requestedModel"), opt(n, "model"), opt(n, "provider"), attempts, routing, decisions,
                    tokens, new BigDecimal(req(n, "costUsd")), n.path("costKnown").asBoolean(),
                    opt(n, "reservedUsd").map(BigDecimal::new), outcome, content(n.get("prompt")),
                    n.has("response") ? Optional.of(content(n.get("response"))) : Optional.empty());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid audit record: " + e.getMessage(), e);
        }
    }

    private static void opt(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    private static void content(JsonGenerator g, String name, AuditRecord.Content c) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("sha256", c.sha256());
        opt(g, "text", c.text());
        g.writeEndObject();
    }

    private static AuditRecord.Content content(JsonNode c) {
        if (c == null || !c.isObject()) {
            throw new IllegalArgumentException("content must be an object with sha256");
        }
        return new AuditRecord.Content(req(c, "sha256"), opt(c, "text"));
    }

    private static String req(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return v.asText();
    }

    private static Optional<String> opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static <T> List<T> list(JsonNode array, Function<JsonNode, T> f) {
        List<T> out = new ArrayList<>(array.size());
        for (JsonNode e : array) {
            out.add(f.apply(e));
        }
        return out;
    }
}
