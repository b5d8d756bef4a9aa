package dev.llmmesh.intercept;

import dev.llmmesh.Attempt;
import dev.llmmesh.Citation;
import dev.llmmesh.Cost;
import dev.llmmesh.Verdict;
import dev.llmmesh.routing.RoutingDecision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * State that lives exactly as long as one logical call, shared by its interceptors: the request id, typed
 * attributes, and the citations and verdicts that end up in the {@link dev.llmmesh.MeshResponse}. Thread-safe.
 */
public interface CallScope {

    /** The call's request id (the caller's, or a generated one). */
    String requestId();

    /** When the call started, by the mesh's clock. */
    Instant startedAt();

    /** The value stored under {@code key}, if any. */
    <T> Optional<T> get(Key<T> key);

    /** Stores {@code value} under {@code key}, replacing any previous value. */
    <T> void put(Key<T> key, T value);

    /** Adds sources a grounded answer was built from. */
    void addCitations(List<Citation> citations);

    /** Records a governance decision. */
    void addVerdict(Verdict verdict);

    /** The citations added so far. */
    List<Citation> citations();

    /** The verdicts recorded so far. */
    List<Verdict> verdicts();

    /** The attempts made so far, in order (read after {@code proceed} returns or throws to see them all). */
    List<Attempt> attempts();

    /** The latest routing decision, once the router has run. */
    Optional<RoutingDecision> decision();

    /**
     * The cost billed so far: every attempt that reached a provider and reported usage (winners, hedge losers,
     * partial streams). This is what a budget settles to.
     */
    Cost billed();

    /** The model whose answer the call returns, once one has answered. */
    Optional<String> answeredBy();

    /**
     * A typed attribute key; compare by identity, so hold keys in constants.
     *
     * @param <T> the value type
     */
    final class Key<T> {
        private final String name;
        private final Class<T> type;

        private Key(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        public static <T> Key<T> of(String name, Class<T> type) {
            return new Key<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
        }

        public String name() {
            return name;
        }

        public Class<T> type() {
            return type;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
