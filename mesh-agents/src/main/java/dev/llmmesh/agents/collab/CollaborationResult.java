package dev.llmmesh.agents.collab;

import dev.llmmesh.agents.RunStatus;
import dev.llmmesh.agents.RunTrace;
import java.util.List;
import java.util.Objects;

/**
 * The result of one collaboration.
 *
 * @param status how it ended: {@link RunStatus#COMPLETED} when the goal was reached, {@link RunStatus#MAX_ROUNDS},
 *               {@link RunStatus#BUDGET_EXCEEDED} or {@link RunStatus#FAILED}
 * @param posts  the blackboard's posts
 * @param rounds the rounds started
 * @param trace  the run's trace
 */
public record CollaborationResult(RunStatus status, List<Post> posts, int rounds, RunTrace trace) {
    public CollaborationResult {
        Objects.requireNonNull(status, "status");
        posts = List.copyOf(posts);
        Objects.requireNonNull(trace, "trace");
    }

    /** The last post's text; empty when nobody posted. */
    public String lastPost() {
        return posts.isEmpty() ? "" : posts.get(posts.size() - 1).text();
    }

    /** Whether the goal was reached. */
    public boolean goalReached() {
        return status == RunStatus.COMPLETED;
    }
}
