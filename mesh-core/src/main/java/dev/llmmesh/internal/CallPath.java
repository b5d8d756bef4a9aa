package dev.llmmesh.internal;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.MeshException;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.intercept.Interceptor;
import dev.llmmesh.routing.RouteFilter;
import dev.llmmesh.routing.RouterConfig;
import dev.llmmesh.routing.Sleeper;
import dev.llmmesh.routing.Ticker;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * The path of a call through the mesh, as named stages. {@link #assemble} fixes their order in one place (as OkHttp's
 * {@code RealCall.getResponseWithInterceptorChain} does): read it to know what a call goes through, in what order.
 */
final class CallPath {

    /** Runs one attempt on one model through the attempt stages. */
    @FunctionalInterface
    interface Attempts {
        Walk.Outcome run(CallState call, ModelRuntime rt, ModelDescriptor model, @Nullable MeshException previous,
                         @Nullable String previousModel);
    }

    /** Everything the stages use. */
    record Parts(Deployments deployments, List<Interceptor> callInterceptors, List<Interceptor> attemptInterceptors,
                 List<RouteFilter> routeFilters, RouterConfig config, Listeners listeners, MeshMetrics metrics,
                 @Nullable ObservationRegistry observations, Clock clock, Ticker ticker, Sleeper sleeper,
                 ExecutorService executor) {
    }

    private final RetryBudget retryBudget;
    private Stage.Next<CallState> call;
    private Stage.Next<AttemptState> blockingAttempt;
    private Stage.Next<AttemptState> streamingAttempt;

    CallPath(Parts parts) {
        this.retryBudget = new RetryBudget(parts.config().retryBudgetRatio(), parts.config().retryBudgetFloor());
        assemble(parts);
    }

    /** The order of a call, in one place. */
    private void assemble(Parts p) {
        Attempts attempts = this::attempt;
        // one call
        call = Stage.link(List.of(
                new GovernanceStage(p.callInterceptors(), p.clock()),          // call interceptors; may answer or re-ask
                new RoutePlanning(new RoutePlanner(p.config(), p.routeFilters()), p.deployments(), retryBudget,
                        p.listeners(), p.metrics(), p.clock()),                 // filters, score, plan
                new Hedger(attempts, p.deployments(), p.config(), retryBudget, p.listeners(), p.metrics(), p.clock(),
                        p.executor()),                                          // races the first two, when configured
                new Fallback(attempts, p.deployments(), p.config(), retryBudget, p.metrics(), p.clock(),
                        p.sleeper())));                                         // attempts down the plan
        // one attempt on one model
        List<Stage<AttemptState>> attempt = List.of(
                new Permits(p.routeFilters(), p.listeners(), p.clock()),       // health, policy, bulkhead, breaker
                new AttemptRecord(p.listeners(), p.clock()),                   // numbered, recorded in the call
                new AttemptInterceptors(p.attemptInterceptors()),              // exactly one proceed each
                new Measuring(p.metrics(), p.observations(), p.clock()));      // health, breaker, bill, meters, span
        blockingAttempt = Stage.link(append(attempt, new ProviderCall(p.config())));
        streamingAttempt = Stage.link(append(attempt, new StreamAttempt(p.deployments(), p.config(), p.metrics(),
                p.clock(), p.ticker())));
    }

    /** Runs a call from its first stage. */
    ChatResponse call(CallState call) {
        return this.call.proceed(call);
    }

    RetryBudget retryBudget() {
        return retryBudget;
    }

    private Walk.Outcome attempt(CallState call, ModelRuntime rt, ModelDescriptor model,
                                 @Nullable MeshException previous, @Nullable String previousModel) {
        AttemptState a = new AttemptState(call, rt, model, previous, previousModel);
        ChatResponse response = (call.streaming() ? streamingAttempt : blockingAttempt).proceed(a);
        if (a.skipped != null) {
            return Walk.Outcome.skip(a.skipped);
        }
        if (a.failure != null) {
            return Walk.Outcome.failed(a.failure);
        }
        return Walk.Outcome.ok(response);
    }

    private static <X> List<Stage<X>> append(List<Stage<X>> stages, Stage<X> last) {
        List<Stage<X>> all = new java.util.ArrayList<>(stages);
        all.add(last);
        return List.copyOf(all);
    }
}
