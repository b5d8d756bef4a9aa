package dev.llmmesh.governance.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.Attempt;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Cost;
import dev.llmmesh.MeshException;
import dev.llmmesh.PolicyDeniedException;
import dev.llmmesh.StreamTruncatedException;
import dev.llmmesh.Verdict;
import dev.llmmesh.catalog.Catalog;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.TokenCounts;
import dev.llmmesh.governance.audit.AuditRecord;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.Scope;
import dev.llmmesh.governance.budget.ScopeIdentity;
import dev.llmmesh.intercept.CallScope;
import dev.llmmesh.routing.CandidateReport;
import dev.llmmesh.routing.RoutingDecision;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Builds the {@link AuditRecord} of a finished call from what its {@link CallScope} saw. Only ever copies fields
 * known to be free of secrets (ids, model names, codes) and screens free text with {@link Scrubber}; never copies
 * context attributes wholesale. Thread-safe.
 */
public final class RecordBuilder {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DETAIL = 300;

    private final ScopeIdentity identity;
    private final Set<String> contentTeams;
    private final Catalog catalog;

    public RecordBuilder(ScopeIdentity identity, Set<String> contentTeams, Catalog catalog) {
        this.identity = identity;
        this.contentTeams = contentTeams;
        this.catalog = catalog;
    }

    /**
     * @param request  the request as the audit interceptor saw it (before redaction by later interceptors)
     * @param response the answer, or null when the call failed
     * @param error    the failure, or null when it answered
     * @param denied   models refused by route filters on an attempt
     */
    public AuditRecord build(CallScope call, CallContext context, ChatRequest request, boolean streaming,
                             ChatResponse response, Throwable error, Duration latency,
                             List<AuditRecord.Decision> denied) {
        Optional<String> team = context.team();
        boolean withContent = team.isPresent() && contentTeams.contains(team.get());
        Map<String, String> tags = new LinkedHashMap<>();
        context.tags().forEach((k, v) -> tags.put(k, Scrubber.scrub(v)));

        List<AuditRecord.AttemptInfo> attempts = new ArrayList<>();
        for (Attempt a : call.attempts()) {
            attempts.add(new AuditRecord.AttemptInfo(a.number(), a.modelId(), a.latency(),
                    a.error().map(k -> k.code()), a.errorText().map(RecordBuilder::detail)));
        }
        Optional<AuditRecord.Routing> routing = call.decision().map(RecordBuilder::routing);

        List<AuditRecord.Decision> decisions = new ArrayList<>();
        for (Verdict v : call.verdicts()) {
            decisions.add(new AuditRecord.Decision(v.policyId(), v.decision(), detail(v.detail()), Optional.empty(),
                    AuditRecord.Source.VERDICT));
        }
        decisions.addAll(denied);
        Optional<AuditRecord.Decision> fromError = errorDecision(error, decisions);
        fromError.ifPresent(decisions::add);

        TokenCounts tokens;
        if (response != null) {
            tokens = TokenCounts.of(response.tokenUsage());
        } else if (error instanceof StreamTruncatedException t) {
            tokens = TokenCounts.of(t.partialUsage());
        } else {
            tokens = TokenCounts.of(null);
        }
        Cost cost = call.billed();
        Optional<String> model = call.answeredBy();
        Optional<String> provider = model.flatMap(id -> catalog.find(ModelDescriptor.class, id))
                .map(ModelDescriptor::provider);

        AuditRecord.Outcome outcome = response != null ? AuditRecord.Outcome.answered() : outcome(error);
        String promptText = promptText(request);
        AuditRecord.Content prompt = new AuditRecord.Content(Hashes.sha256(promptText),
                withContent ? Optional.of(Scrubber.scrub(promptText)) : Optional.empty());
        Optional<AuditRecord.Content> answer = Optional.empty();
        if (response != null) {
            String text = responseText(response);
            answer = Optional.of(new AuditRecord.Content(Hashes.sha256(text),
                    withContent ? Optional.of(Scrubber.scrub(text)) : Optional.empty()));
        }
        return new AuditRecord(UUID.randomUUID().toString(), call.requestId(), call.startedAt(), latency,
                context.tenant(), team, context.user(), identity.subject(Scope.API_KEY, context),
                identity.subject(Scope.AGENT_RUN, context), tags, streaming, Optional.ofNullable(request.modelName()),
                model, provider, attempts, routing, decisions,
                new AuditRecord.Tokens(tokens.input(), tokens.output(), tokens.cachedInput(), tokens.reasoning()),
                cost.usd(), cost.known(), call.get(BudgetPlugin.RESERVED_USD), outcome, prompt, answer);
    }

    private static AuditRecord.Routing routing(RoutingDecision d) {
        List<AuditRecord.Rejection> rejected = new ArrayList<>();
        for (CandidateReport c : d.rejected()) {
            rejected.add(new AuditRecord.Rejection(c.modelId(), detail(c.rejection().orElse(""))));
        }
        return new AuditRecord.Routing(d.strategy(), d.plan(), rejected, d.estimatedInputTokens());
    }

    /** The policy or budget denial that ended the call, unless an interceptor already recorded it as a verdict. */
    private static Optional<AuditRecord.Decision> errorDecision(Throwable error, List<AuditRecord.Decision> known) {
        String policyId;
        if (error instanceof PolicyDeniedException p) {
            policyId = p.policyId();
        } else if (error instanceof BudgetExceededException b) {
            policyId = b.scope();
        } else {
            return Optional.empty();
        }
        for (AuditRecord.Decision d : known) {
            if (d.decision() == Verdict.Decision.DENY && (d.policyId().equals(policyId) || d.policyId().endsWith("/" + policyId))) {
                return Optional.empty();
            }
        }
        MeshException m = (MeshException) error;
        return Optional.of(new AuditRecord.Decision(policyId, Verdict.Decision.DENY, detail(String.valueOf(m.getMessage())),
                m.modelId(), AuditRecord.Source.ERROR));
    }

    private static AuditRecord.Outcome outcome(Throwable error) {
        if (error instanceof MeshException m) {
            String detail;
            if (m instanceof PolicyDeniedException p) {
                detail = "policy " + p.policyId();
            } else if (m instanceof BudgetExceededException b) {
                detail = "budget " + b.scope() + b.resetsAt().map(t -> ", resets at " + t).orElse("");
            } else {
                detail = detail(m.getClass().getSimpleName() + (m.getMessage() == null ? "" : ": " + m.getMessage()));
            }
            return new AuditRecord.Outcome(false, Optional.of(m.kind().code()), Optional.of(detail));
        }
        return new AuditRecord.Outcome(false, Optional.of("internal"),
                Optional.of(error == null ? "unknown" : error.getClass().getName()));
    }

    static String detail(String text) {
        String s = Scrubber.scrub(text);
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL) + "..." : s;
    }

    /** The request's messages as a canonical JSON array of {@code {role, text}}: what the prompt hash covers. */
    static String promptText(ChatRequest request) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (ChatMessage m : request.messages()) {
                g.writeStartObject();
                g.writeStringField("role", m.type().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("text", messageText(m));
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String messageText(ChatMessage m) {
        if (m instanceof UserMessage u) {
            StringBuilder sb = new StringBuilder();
            for (Content c : u.contents()) {
                if (c instanceof TextContent t) {
                    sb.append(t.text());
                } else if (c instanceof ImageContent) {
                    sb.append("[image]");
                }
            }
            return sb.toString();
        }
        if (m instanceof SystemMessage s) {
            return s.text();
        }
        if (m instanceof AiMessage a) {
            return aiText(a);
        }
        if (m instanceof ToolExecutionResultMessage r) {
            return r.toolName() + ": " + (r.text() == null ? "" : r.text());
        }
        return "";
    }

    static String responseText(ChatResponse response) {
        return response.aiMessage() == null ? "" : aiText(response.aiMessage());
    }

    private static String aiText(AiMessage a) {
        StringBuilder sb = new StringBuilder(a.text() == null ? "" : a.text());
        if (a.hasToolExecutionRequests()) {
            for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                sb.append("\n[tool ").append(r.name()).append(' ').append(r.arguments() == null ? "" : r.arguments())
                        .append(']');
            }
        }
        return sb.toString();
    }
}
