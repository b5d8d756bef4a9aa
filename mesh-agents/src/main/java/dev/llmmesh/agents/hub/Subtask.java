package dev.llmmesh.agents.hub;

import java.util.Objects;
import java.util.Set;

/**
 * One part of a request, to be allocated to one agent.
 *
 * @param id          {@code t1}, {@code t2}, … in triage order
 * @param skills      the skills an agent needs for it (empty: any agent will do)
 * @param instruction what to do
 */
public record Subtask(String id, Set<String> skills, String instruction) {
    public Subtask {
        Objects.requireNonNull(id, "id");
        skills = Set.copyOf(skills);
        Objects.requireNonNull(instruction, "instruction");
        if (instruction.isBlank()) {
            throw new IllegalArgumentException("subtask " + id + ": instruction must not be blank");
        }
    }
}
