package dev.llmmesh.governance.audit;

import dev.llmmesh.Verdict;
import dev.llmmesh.governance.internal.audit.AuditJson;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the audit log keeps about one logical call: who called, what was routed where and why, every attempt, every
 * governance decision with its policy id, tokens, cost and outcome. The prompt and the answer are kept as SHA-256
 * hashes, and as text only for teams that opted in. Never holds a provider key, a header, or the caller's raw API key
 * (only its key id); free-text details are screened for credential-looking tokens.
 *
 * <p>{@link #toJson()} is the canonical, single-line JSON form (fields in declaration order) that sinks store;
 * {@link #fromJson(String)} reads it back.
 *
 * @param recordId       unique id of this record (a UUID), for de-duplication
 * @param requestId      the call's request id
 * @param startedAt      when the call entered the mesh, by the mesh clock
 * @param latency        how long the call took, interceptors included
 * @param tenant         the caller's tenant
 * @param team           the caller's team
 * @param user           the caller's user
 * @param apiKeyId       the key id of the caller's API key (see {@link dev.llmmesh.governance.budget.ScopeIdentity})
 * @param agentRun       the agent run the call was a step of
 * @param tags           the call's tags (values that look like credentials are masked)
 * @param streaming      whether the caller streamed
 * @param requestedModel the model the request pinned, if it did
 * @param model          the model whose answer was returned
 * @param provider       that model's provider
 * @param attempts       every attempt, in order
 * @param routing        the routing decision, when the router ran
 * @param decisions      governance decisions: verdicts, models denied on an attempt, and the denial that ended the call
 * @param tokens         tokens of the returned answer (or of the partial stream, when it was cut)
 * @param costUsd        the cost billed for the call: every attempt that reached a provider and reported usage
 * @param costKnown      false when a model without a price was billed (the amount then covers priced attempts only)
 * @param reservedUsd    what the budget reserved at admission, when a budget applied
 * @param outcome        answered, or the error
 * @param prompt         the request's messages, hashed (and as text when the team opted in)
 * @param response       the answer, hashed (and as text when the team opted in); empty when there was none
 */
public record AuditRecord(String recordId, String requestId, Instant startedAt, Duration latency,
                          Optional<String> tenant, Optional<String> team, Optional<String> user,
                          Optional<String> apiKeyId, Optional<String> agentRun, Map<String, String> tags,
                          boolean streaming, Optional<String> requestedModel, Optional<String> model,
                          Optional<String> provider, List<AttemptInfo> attempts, Optional<Routing> routing,
                          List<Decision> decisions, Tokens tokens, BigDecimal costUsd, boolean costKnown,
                          Optional<BigDecimal> reservedUsd, Outcome outcome, Content prompt,
                          Optional<Content> response) {
    /** The version of the JSON form. */
    public static final int FORMAT_VERSION = 1;

    public AuditRecord {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(apiKeyId, "apiKeyId");
        Objects.requireNonNull(agentRun, "agentRun");
        tags = Map.copyOf(tags);
        Objects.requireNonNull(requestedModel, "requestedModel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(routing, "routing");
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(response, "response");
    }

    /** The canonical single-line JSON form. */
    public String toJson() {
        return AuditJson.write(this);
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException if {@code json} is not a valid audit record
     */
    public static AuditRecord fromJson(String json) {
        return AuditJson.read(json);
    }

    /** The model the cost is attributed to: the answering model, else the last one attempted. */
    public Optional<String> costModel() {
        if (model.isPresent()) {
            return model;
        }
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1).model());
    }

    /**
     * One attempt.
     *
     * @param number  1, 2, ...
     * @param model   the model tried
     * @param latency how long it took
     * @param error   the error kind code, when it failed
     * @param detail  a short, screened description of the failure
     */
    public record AttemptInfo(int number, String model, Duration latency, Optional<String> error,
                              Optional<String> detail) {
        public AttemptInfo {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The routing decision in brief.
     *
     * @param strategy             the strategy that scored the candidates
     * @param plan                 the planned models, primary first
     * @param rejected             the candidates filtered out, with the reason
     * @param estimatedInputTokens the router's estimate of input tokens
     */
    public record Routing(String strategy, List<String> plan, List<Rejection> rejected,
                          int estimatedInputTokens) {
        public Routing {
            Objects.requireNonNull(strategy, "strategy");
            plan = List.copyOf(plan);
            rejected = List.copyOf(rejected);
        }
    }

    /** A candidate the router filtered out, and why. */
    public record Rejection(String model, String reason) {
        public Rejection {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Where a decision was recorded. */
    public enum Source {
        /** A verdict an interceptor recorded on the call. */
        VERDICT,
        /** A model refused by a route filter on an attempt ({@link dev.llmmesh.event.MeshEvent.ModelDenied}). */
        MODEL_DENIED,
        /** The policy or budget error that ended the call. */
        ERROR
    }

    /**
     * One governance decision.
     *
     * @param policyId the rule, e.g. {@code org/models.denied} or {@code budgets/team:search/day}
     * @param decision the outcome
     * @param detail   a short, screened explanation
     * @param model    the model concerned, if any
     * @param source   where it was recorded
     */
    public record Decision(String policyId, Verdict.Decision decision, String detail, Optional<String> model,
                           Source source) {
        public Decision {
            Objects.requireNonNull(policyId, "policyId");
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Token counts; cached input is part of input, reasoning part of output. */
    public record Tokens(long input, long output, long cachedInput, long reasoning) {
        /** No tokens. */
        public static final Tokens NONE = new Tokens(0, 0, 0, 0);
    }

    /**
     * The outcome of the call.
     *
     * @param ok     whether the caller got an answer
     * @param error  the error kind code ({@code budget_exceeded}, {@code no_route}, ...) when it did not
     * @param detail a short, screened description: the budget scope, the policy id, the exception type
     */
    public record Outcome(boolean ok, Optional<String> error, Optional<String> detail) {
        public Outcome {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }

        /** The caller got an answer. */
        public static Outcome answered() {
            return new Outcome(true, Optional.empty(), Optional.empty());
        }
    }

    /**
     * Content, as a hash and optionally as text.
     *
     * @param sha256 SHA-256 of the canonical text, in hex
     * @param text   the text itself, only when the team opted in
     */
    public record Content(String sha256, Optional<String> text) {
        public Content {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(text, "text");
        }
    }
}
