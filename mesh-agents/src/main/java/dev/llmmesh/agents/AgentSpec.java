package dev.llmmesh.agents;

import dev.llmmesh.agents.tool.ToolDescriptor;
import dev.llmmesh.catalog.Lifecycle;
import dev.llmmesh.catalog.LifecycleAware;
import dev.llmmesh.catalog.Ownership;
import dev.llmmesh.client.Capability;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An agent as the catalog lists it: what it is good at (skills), how it is instructed (system prompt), which tools
 * it may call, what it needs from a model, who owns it, and where it is in its life. Only approved or deprecated
 * agents run; retiring an agent in the catalog stops it at its next step. Immutable and thread-safe; build with
 * {@link #builder(String)}, copy with {@link #toBuilder()}.
 *
 * @param id           unique among agents, {@code [a-z0-9][a-z0-9_-]*}
 * @param description  what it does (shown to planners and selectors)
 * @param skills       lower-case skill tags the star hub allocates by, e.g. {@code billing}
 * @param systemPrompt its instructions, sent as the system message of each step
 * @param allowedTools names of the tools it may call; any other call is denied and reported
 * @param requirements capabilities, cost cap and output cap of the models serving it
 * @param owner        the owning domain and team
 * @param lifecycle    proposed, approved, deprecated or retired
 */
public record AgentSpec(String id, String description, Set<String> skills, String systemPrompt,
                        Set<String> allowedTools, ModelRequirements requirements, Ownership owner,
                        Lifecycle lifecycle) implements LifecycleAware<AgentSpec> {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern SKILL = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    /**
     * @throws IllegalArgumentException naming the agent and the field when a value is invalid
     */
    public AgentSpec {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("agent id \"" + id + "\" is invalid: use 1 to 64 characters of "
                    + "lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        Objects.requireNonNull(description, "description");
        for (String s : skills) {
            if (s == null || !SKILL.matcher(s).matches()) {
                throw new IllegalArgumentException("agent " + id + ": skill \"" + s + "\" is invalid: use lower-case "
                        + "letters, digits, '_', '.' or '-'");
            }
        }
        skills = Set.copyOf(skills);
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        if (systemPrompt.isBlank()) {
            throw new IllegalArgumentException("agent " + id + ": systemPrompt must not be blank");
        }
        for (String t : allowedTools) {
            ToolDescriptor.requireName(t);
        }
        allowedTools = Set.copyOf(allowedTools);
        Objects.requireNonNull(requirements, "requirements");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /** A builder for agent {@code id}. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.description = description;
        b.skills.addAll(skills);
        b.systemPrompt = systemPrompt;
        b.tools.addAll(allowedTools);
        b.capabilities.addAll(requirements.capabilities());
        b.maxCostPerCall = requirements.maxCostPerCall().orElse(null);
        b.maxOutputTokens = requirements.maxOutputTokens().orElse(null);
        b.owner = owner;
        b.lifecycle = lifecycle;
        return b;
    }

    @Override
    public AgentSpec withLifecycle(Lifecycle lifecycle) {
        return new AgentSpec(id, description, skills, systemPrompt, allowedTools, requirements, owner, lifecycle);
    }

    /** Whether the agent has {@code skill}. */
    public boolean hasSkill(String skill) {
        return skills.contains(skill);
    }

    /**
     * Builds an {@link AgentSpec}. Defaults: no skills, no tools, no model requirements, unowned, approved. Not
     * thread-safe.
     */
    public static final class Builder {
        private final String id;
        private String description = "";
        private final Set<String> skills = new LinkedHashSet<>();
        private String systemPrompt = "";
        private final Set<String> tools = new LinkedHashSet<>();
        private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private @Nullable BigDecimal maxCostPerCall;
        private @Nullable Integer maxOutputTokens;
        private Ownership owner = Ownership.UNOWNED;
        private Lifecycle lifecycle = Lifecycle.approvedByDefault();

        private Builder(String id) {
            this.id = id;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Adds skills (lower-cased). */
        public Builder skills(String... skills) {
            for (String s : skills) {
                this.skills.add(Objects.requireNonNull(s, "skill").trim().toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
            return this;
        }

        /** Adds tools the agent may call, by name ({@code ask_human} lets it escalate to a person). */
        public Builder tools(String... names) {
            for (String n : names) {
                this.tools.add(ToolDescriptor.requireName(n));
            }
            return this;
        }

        /** Adds capabilities every model serving the agent must have. */
        public Builder requires(Capability... capabilities) {
            for (Capability c : capabilities) {
                this.capabilities.add(Objects.requireNonNull(c, "capability"));
            }
            return this;
        }

        /**
         * Caps the estimated cost of each step, in USD (needs {@link AgentsPlugin} installed on the mesh).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxCostPerCall(double usd) {
            if (!(usd > 0)) {
                throw new IllegalArgumentException("maxCostPerCall must be > 0 USD, got " + usd);
            }
            this.maxCostPerCall = BigDecimal.valueOf(usd).stripTrailingZeros();
            return this;
        }

        /**
         * Caps the output tokens of each step.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxOutputTokens(int tokens) {
            if (tokens < 1) {
                throw new IllegalArgumentException("maxOutputTokens must be >= 1, got " + tokens);
            }
            this.maxOutputTokens = tokens;
            return this;
        }

        public Builder owner(Ownership owner) {
            this.owner = Objects.requireNonNull(owner, "owner");
            return this;
        }

        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field when a value is invalid (e.g. a blank system prompt)
         */
        public AgentSpec build() {
            return new AgentSpec(id, description, skills, systemPrompt, tools,
                    new ModelRequirements(capabilities, Optional.ofNullable(maxCostPerCall),
                            Optional.ofNullable(maxOutputTokens)), owner, lifecycle);
        }
    }
}
