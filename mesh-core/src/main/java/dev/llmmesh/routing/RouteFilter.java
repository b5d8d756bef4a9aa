package dev.llmmesh.routing;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.ModelDescriptor;
import java.util.Objects;
import java.util.Optional;

/**
 * A hard filter the router applies to every candidate before scoring, and the mesh re-applies to the model actually
 * called on every attempt (fallbacks and retries included). Governance plugs its policy in here, so a denied model
 * is never even tried. Every rejection reaches the listeners as a {@link dev.llmmesh.event.MeshEvent.ModelDenied}
 * with its policy id, at routing time and on each hop. Must be fast and thread-safe.
 *
 * <p>Implement {@link #reject} (and {@link #policyId()} for a fixed id), or override {@link #check} when the policy id
 * depends on the rejection (for example the layer of a federated policy that said no).
 */
@FunctionalInterface
public interface RouteFilter {

    /**
     * Why {@code model} may not serve this call, or empty when it may.
     *
     * @return a short reason shown in the routing decision, e.g. {@code denied by policy org/models.denied}
     */
    Optional<String> reject(ModelDescriptor model, ChatRequest request, CallContext context);

    /** The policy id reported when this filter rejects a model; defaults to the class name. */
    default String policyId() {
        return getClass().getSimpleName();
    }

    /**
     * The rejection with its policy id, or empty when the model may serve the call. The mesh calls this; the default
     * combines {@link #reject} and {@link #policyId()}.
     */
    default Optional<Rejection> check(ModelDescriptor model, ChatRequest request, CallContext context) {
        return reject(model, request, context).map(reason -> new Rejection(policyId(), reason));
    }

    /**
     * Why a filter refused a model.
     *
     * @param policyId the rule, e.g. {@code team:red/models.deny}
     * @param reason   a short explanation for the routing decision
     */
    record Rejection(String policyId, String reason) {
        public Rejection {
            Objects.requireNonNull(policyId, "policyId");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
