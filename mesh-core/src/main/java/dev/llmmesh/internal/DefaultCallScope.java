package dev.llmmesh.internal;

import dev.llmmesh.Attempt;
import dev.llmmesh.Citation;
import dev.llmmesh.Cost;
import dev.llmmesh.Verdict;
import dev.llmmesh.intercept.CallScope;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The state of one logical call. Thread-safe (streams may touch it from provider threads). */
public final class DefaultCallScope implements CallScope {
    private final String requestId;
    private final Instant startedAt;
    private final Map<Key<?>, Object> attributes = new ConcurrentHashMap<>(4);
    private final List<Citation> citations = new ArrayList<>(0);
    private final List<Verdict> verdicts = new ArrayList<>(0);
    private final List<Attempt> attempts = new ArrayList<>(2);
    private @Nullable RoutingDecision decision;
    private @Nullable String finalModel;
    private Cost cost = Cost.ZERO;

    public DefaultCallScope(String requestId, Instant startedAt) {
        this.requestId = requestId;
        this.startedAt = startedAt;
    }

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public <T> Optional<T> get(Key<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    @Override
    public <T> void put(Key<T> key, T value) {
        attributes.put(Objects.requireNonNull(key, "key"), key.type().cast(Objects.requireNonNull(value, "value")));
    }

    @Override
    public synchronized void addCitations(List<Citation> citations) {
        this.citations.addAll(citations);
    }

    @Override
    public synchronized void addVerdict(Verdict verdict) {
        verdicts.add(Objects.requireNonNull(verdict, "verdict"));
    }

    @Override
    public synchronized List<Citation> citations() {
        return List.copyOf(citations);
    }

    @Override
    public synchronized List<Verdict> verdicts() {
        return List.copyOf(verdicts);
    }

    synchronized int nextAttemptNumber() {
        return attempts.size() + 1;
    }

    synchronized void addAttempt(Attempt attempt) {
        attempts.add(attempt);
    }

    @Override
    public synchronized List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    synchronized void decision(RoutingDecision decision) {
        this.decision = decision;
    }

    @Override
    public synchronized Optional<RoutingDecision> decision() {
        return Optional.ofNullable(decision);
    }

    /** Adds the cost of one attempt that reached the provider (winners, hedge losers and partial streams alike). */
    synchronized void bill(Cost cost) {
        this.cost = this.cost.plus(cost);
    }

    /** Records which model's answer the call returns. */
    synchronized void answeredBy(String modelId) {
        this.finalModel = modelId;
    }

    @Override
    public synchronized Optional<String> answeredBy() {
        return Optional.ofNullable(finalModel);
    }

    @Override
    public synchronized Cost billed() {
        return cost;
    }
}
