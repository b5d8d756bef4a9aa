package dev.llmmesh.routing;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.ModelDescriptor;
import java.util.Optional;

/**
 * A hard filter the router applies to every candidate before scoring, and the mesh re-applies to the model actually
 * called on every attempt (fallbacks and retries included). Governance plugs its policy in here, so a denied model
 * is never even tried. Must be fast and thread-safe.
 */
@FunctionalInterface
public interface RouteFilter {

    /**
     * Why {@code model} may not serve this call, or empty when it may.
     *
     * @return a short reason shown in the routing decision, e.g. {@code denied by policy org/models.denied}
     */
    Optional<String> reject(ModelDescriptor model, ChatRequest request, CallContext context);

    /** The policy id reported when this filter rejects a model on an attempt; defaults to the class name. */
    default String policyId() {
        return getClass().getSimpleName();
    }
}
