package dev.llmmesh.rag;

import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleAware;
import dev.llmmesh.catalog.Ownership;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A knowledge base as a catalog product: an id, an owner (domain and team), the teams that may read it, the metadata
 * keys callers may filter on, and a lifecycle. Register it with {@link RagPlugin} (which puts it in the mesh's
 * catalog); the RAG interceptor checks {@link #permits(Optional)} on every retrieval, against the calling team of
 * {@link dev.llmmesh.CallContext#team()}.
 *
 * <p>Access: the owner team and the listed teams may read it; {@value #EVERYONE} in the allowed teams opens it to
 * every caller, with or without a team. A call without a team reads nothing else. Only
 * {@link dev.llmmesh.catalog.LifecycleState#usable() usable} knowledge bases (approved or deprecated) are read.
 *
 * <p>Filter keys are an allow-list: a call may filter only on these metadata keys. Keys are checked twice, when the
 * knowledge base is built (each must look like {@code [A-Za-z][A-Za-z0-9_.-]*}, at most 64 characters) and on every
 * call (anything not listed is rejected before any retrieval runs).
 *
 * @param id           unique among knowledge bases: letters, digits, {@code . _ -}, at most 128 characters
 * @param description  what it holds
 * @param owner        the owning domain and team
 * @param allowedTeams teams besides the owner team that may read it ({@value #EVERYONE} for everyone)
 * @param filterKeys   the metadata keys callers may filter on
 * @param lifecycle    where it is in its life
 */
public record KnowledgeBase(String id, String description, Ownership owner, Set<String> allowedTeams,
                            Set<String> filterKeys, Lifecycle lifecycle) implements LifecycleAware<KnowledgeBase> {
    /** In {@link #allowedTeams()}: every caller may read the knowledge base. */
    public static final String EVERYONE = "*";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    public KnowledgeBase {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("knowledge base id \"" + id + "\" is invalid; use letters, digits, "
                    + "'.', '_' and '-', starting with a letter or digit, at most 128 characters");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(owner, "owner");
        allowedTeams = Set.copyOf(allowedTeams);
        for (String t : allowedTeams) {
            if (t.isBlank()) {
                throw new IllegalArgumentException("knowledge base \"" + id + "\": allowed team names must not be blank");
            }
        }
        filterKeys = Set.copyOf(filterKeys);
        for (String k : filterKeys) {
            if (!isWellFormedKey(k)) {
                throw new IllegalArgumentException("knowledge base \"" + id + "\": filter key \"" + k
                        + "\" is invalid; use [A-Za-z][A-Za-z0-9_.-]*, at most 64 characters");
            }
        }
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** A builder for a knowledge base owned by {@code owner}. */
    public static Builder builder(String id, Ownership owner) {
        return new Builder(id, owner);
    }

    /** Whether a call from {@code team} (empty: no team) may read this knowledge base now. */
    public boolean permits(Optional<String> team) {
        if (!lifecycle.state().usable()) {
            return false;
        }
        if (allowedTeams.contains(EVERYONE)) {
            return true;
        }
        return team.map(t -> t.equals(owner.team()) || allowedTeams.contains(t)).orElse(false);
    }

    /** Whether callers may filter on {@code key}. */
    public boolean allowsFilterKey(String key) {
        return filterKeys.contains(key);
    }

    /** Whether {@code key} has the shape of a filter key (independently of any allow-list). */
    public static boolean isWellFormedKey(String key) {
        return KEY.matcher(key).matches();
    }

    @Override
    public KnowledgeBase withLifecycle(Lifecycle lifecycle) {
        return new KnowledgeBase(id, description, owner, allowedTeams, filterKeys, lifecycle);
    }

    /** Builds a {@link KnowledgeBase}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final Ownership owner;
        private String description = "";
        private final Set<String> allowedTeams = new LinkedHashSet<>();
        private final Set<String> filterKeys = new LinkedHashSet<>();
        private Lifecycle lifecycle = Lifecycle.approvedByDefault();

        private Builder(String id, Ownership owner) {
            this.id = Objects.requireNonNull(id, "id");
            this.owner = Objects.requireNonNull(owner, "owner");
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Lets these teams read it, besides the owner team.
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder allowTeams(String... teams) {
            for (String t : teams) {
                if (Objects.requireNonNull(t, "team").isBlank()) {
                    throw new IllegalArgumentException("allowed team names must not be blank");
                }
                allowedTeams.add(t);
            }
            return this;
        }

        /** Lets every caller read it, with or without a team. */
        public Builder openToEveryone() {
            allowedTeams.add(EVERYONE);
            return this;
        }

        /**
         * Allows callers to filter on these metadata keys.
         *
         * @throws IllegalArgumentException if a key is not {@code [A-Za-z][A-Za-z0-9_.-]*} (at most 64 characters)
         */
        public Builder filterKeys(String... keys) {
            for (String k : keys) {
                if (!isWellFormedKey(Objects.requireNonNull(k, "key"))) {
                    throw new IllegalArgumentException("filter key \"" + k
                            + "\" is invalid; use [A-Za-z][A-Za-z0-9_.-]*, at most 64 characters");
                }
                filterKeys.add(k);
            }
            return this;
        }

        /** The lifecycle; default approved (code-registered items are approved unless they say otherwise). */
        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * @throws IllegalArgumentException if the id is invalid
         */
        public KnowledgeBase build() {
            return new KnowledgeBase(id, description, owner, allowedTeams, filterKeys, lifecycle);
        }
    }
}
