package dev.llmmesh.agents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link HumanEscalation} that queues questions until someone answers them by id: the paused runs resume when
 * {@link #answer(String, String)} is called, from any thread. Thread-safe.
 *
 * <pre>{@code
 * HumanInbox inbox = new HumanInbox();
 * AgentRuntime runtime = AgentRuntime.builder(mesh).escalation(inbox).build();
 * // elsewhere, e.g. behind an approval screen:
 * for (EscalationRequest q : inbox.pending()) inbox.answer(q.id(), "approved");
 * }</pre>
 */
public final class HumanInbox implements HumanEscalation {
    private final Map<String, Entry> pending = new LinkedHashMap<>();
    private final BlockingQueue<EscalationRequest> arrivals = new LinkedBlockingQueue<>();

    private record Entry(EscalationRequest request, CompletableFuture<String> answer) {
    }

    @Override
    public CompletionStage<String> escalate(EscalationRequest request) {
        Objects.requireNonNull(request, "request");
        CompletableFuture<String> f = new CompletableFuture<>();
        synchronized (pending) {
            pending.put(request.id(), new Entry(request, f));
        }
        arrivals.add(request);
        return f;
    }

    /** The questions waiting for an answer, oldest first. */
    public List<EscalationRequest> pending() {
        synchronized (pending) {
            List<EscalationRequest> out = new ArrayList<>(pending.size());
            pending.values().forEach(e -> out.add(e.request()));
            return out;
        }
    }

    /**
     * Answers question {@code id}; its run resumes.
     *
     * @throws IllegalArgumentException if no such question is pending
     */
    public void answer(String id, String answer) {
        Objects.requireNonNull(answer, "answer");
        take(id).answer().complete(answer);
    }

    /**
     * Declines question {@code id}: its run resumes and the agent is told no human answered.
     *
     * @throws IllegalArgumentException if no such question is pending
     */
    public void decline(String id, String reason) {
        Objects.requireNonNull(reason, "reason");
        take(id).answer().completeExceptionally(new IllegalStateException("declined: " + reason));
    }

    /**
     * Waits up to {@code timeout} for the next question to arrive (each question is delivered once), for operators
     * and tests that react to questions as they come.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Optional<EscalationRequest> next(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(arrivals.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private Entry take(String id) {
        synchronized (pending) {
            Entry e = pending.remove(id);
            if (e == null) {
                throw new IllegalArgumentException("no pending question with id \"" + id + "\"");
            }
            return e;
        }
    }
}
