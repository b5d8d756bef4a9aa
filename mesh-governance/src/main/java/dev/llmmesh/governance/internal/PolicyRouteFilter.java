package dev.llmmesh.governance.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.Verdict;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.governance.GovernanceEvent;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.policy.Denial;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.routing.RouteFilter;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The policy as a hard routing filter: core applies it to every candidate while routing and again to the model of
 * every attempt (fallbacks, retries), so a model the team may not use is never called. Also keeps blocked PII away
 * from models not trusted with it. Every rejection is recorded with its policy id; in dry-run mode it is recorded
 * and the model is let through.
 *
 * <p>{@link #check} reports each rejection with the id of the rule that made it (e.g. {@code team:red/models.deny}),
 * which core puts in {@code MeshEvent.ModelDenied}.
 */
public final class PolicyRouteFilter implements RouteFilter {
    /** The id reported when no rejection happened on this thread. */
    public static final String GENERIC_ID = "governance/model-policy";

    private final GovernanceRuntime runtime;

    public PolicyRouteFilter(GovernanceRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Optional<String> reject(ModelDescriptor model, ChatRequest request, CallContext context) {
        return check(model, request, context).map(Rejection::reason);
    }

    @Override
    public Optional<Rejection> check(ModelDescriptor model, ChatRequest request, CallContext context) {
        CallState st = runtime.state(context);
        // the policy in force now (it may have been replaced since the call started): a new deny applies at once
        EffectivePolicy policy = runtime.policyFor(context);
        Optional<Denial> denial = check(policy, model, context, st);
        if (denial.isEmpty()) {
            return Optional.empty();
        }
        Denial d = denial.get();
        if (!runtime.enforcing()) {
            runtime.record(st, d.policyId(), Verdict.Decision.FLAG, GovernanceEvent.Stage.ROUTING,
                    GovernanceEvent.DRY_RUN_PREFIX + d.reason(), Optional.of(model.id()), false);
            return Optional.empty();
        }
        runtime.record(st, d.policyId(), Verdict.Decision.DENY, GovernanceEvent.Stage.ROUTING, d.reason(),
                Optional.of(model.id()), true);
        return Optional.of(new Rejection(d.policyId(), "denied by policy " + d.policyId() + ": " + d.reason()));
    }

    /** The decision without recording it. */
    static Optional<Denial> check(EffectivePolicy policy, ModelDescriptor model, CallContext context,
                                  @Nullable CallState st) {
        Optional<Denial> d = policy.checkModel(model, context.dataClass());
        if (d.isPresent()) {
            return d;
        }
        if (st != null && st.blockedMinClass != null) {
            DataClass need = st.blockedMinClass;
            if (!policy.ceilingFor(model).admits(need)) {
                EntityType t = st.blockedType;
                String type = t == null ? "blocked PII" : t.configName();
                return Optional.of(new Denial(t == null ? "pii" : policy.piiSource(t).policyId(),
                        "the input holds " + type + ", which policy blocks for models not trusted with "
                                + need.name().toLowerCase(Locale.ROOT) + " data; model " + model.id()
                                + " is trusted up to " + policy.ceilingFor(model).name().toLowerCase(Locale.ROOT)));
            }
        }
        return Optional.empty();
    }

    @Override
    public String policyId() {
        return GENERIC_ID;
    }

    @Override
    public String toString() {
        return "GovernancePolicyRouteFilter";
    }
}
