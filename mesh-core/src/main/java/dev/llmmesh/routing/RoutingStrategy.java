package dev.llmmesh.routing;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.ModelDescriptor;
import java.util.List;
import java.util.Objects;

/**
 * Turns a candidate's normalised score terms into the score the plan is ordered by (higher first; ties by id).
 * Hard filters have already run. Presets live in {@link RoutingStrategies}; implement this for your own. Must be
 * fast, thread-safe and deterministic for equal inputs (use {@link Input#requestId()} as the seed of any randomness).
 */
@FunctionalInterface
public interface RoutingStrategy {

    /** The score of one candidate. */
    double score(Input input);

    /** The strategy's name for decision tables and metrics; defaults to the class name. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * What a strategy may look at.
     *
     * @param model     the candidate
     * @param terms     its normalised terms ({@code total} not yet set)
     * @param eligible  every candidate that passed the hard filters, in id order
     * @param request   the request
     * @param context   the call context
     * @param requestId the call's id, a stable seed for weighted choices
     */
    record Input(ModelDescriptor model, ScoreTerms terms, List<ModelDescriptor> eligible, ChatRequest request,
                 CallContext context, String requestId) {
        public Input {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(terms, "terms");
            eligible = List.copyOf(eligible);
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(requestId, "requestId");
        }
    }
}
