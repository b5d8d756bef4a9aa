package dev.llmmesh.catalog;

import java.util.Objects;

/**
 * Who owns a catalog item: a domain (e.g. {@code payments}) and a team within it.
 *
 * @param domain the owning domain
 * @param team   the owning team
 */
public record Ownership(String domain, String team) {
    /** For items nobody has claimed yet. */
    public static final Ownership UNOWNED = new Ownership("unowned", "unowned");

    public Ownership {
        if (Objects.requireNonNull(domain, "domain").isBlank()) {
            throw new IllegalArgumentException("owner domain must not be blank");
        }
        if (Objects.requireNonNull(team, "team").isBlank()) {
            throw new IllegalArgumentException("owner team must not be blank");
        }
    }

    public static Ownership of(String domain, String team) {
        return new Ownership(domain, team);
    }
}
