package dev.llmmesh.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own settings under {@code llmmesh.*}. Every other key under {@code llmmesh.} is a {@code mesh.yaml}
 * key ({@code llmmesh.models[0].id}, {@code llmmesh.routing.maxAttempts}, {@code llmmesh.governance...}) and is read
 * by {@link dev.llmmesh.config.MeshConfig}, not bound here. Mutable, as Spring binds it; read once at startup.
 */
@ConfigurationProperties(prefix = "llmmesh")
public class MeshProperties {

    /** Whether the starter builds a mesh at all. */
    private boolean enabled = true;

    /**
     * Where mesh.yaml is read from when no mesh keys are set under llmmesh.* (a Spring resource location such as
     * classpath:mesh.yaml or file:/etc/app/mesh.yaml). Setting it and llmmesh.models at once is an error.
     */
    private String configLocation = MeshAutoConfiguration.DEFAULT_CONFIG_LOCATION;

    private final Endpoint endpoint = new Endpoint();

    private final Health health = new Health();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getConfigLocation() {
        return configLocation;
    }

    public void setConfigLocation(String configLocation) {
        this.configLocation = configLocation;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public Health getHealth() {
        return health;
    }

    /** The {@code llmmesh} Actuator endpoint and the activity it shows. */
    public static class Endpoint {
        /** How many recent routing decisions the mesh keeps for the llmmesh endpoint (0 keeps none). */
        private int recentDecisions = 50;

        /** How many teams the spend table keeps; calls of further teams are counted under "(other)". */
        private int maxTeams = 1000;

        public int getRecentDecisions() {
            return recentDecisions;
        }

        public void setRecentDecisions(int recentDecisions) {
            if (recentDecisions < 0) {
                throw new IllegalArgumentException("llmmesh.endpoint.recent-decisions must be >= 0, got "
                        + recentDecisions);
            }
            this.recentDecisions = recentDecisions;
        }

        public int getMaxTeams() {
            return maxTeams;
        }

        public void setMaxTeams(int maxTeams) {
            if (maxTeams < 1) {
                throw new IllegalArgumentException("llmmesh.endpoint.max-teams must be >= 1, got " + maxTeams);
            }
            this.maxTeams = maxTeams;
        }
    }

    /** The per-model health indicators. */
    public static class Health {
        /**
         * A model whose success rate in the health window is below this share is DEGRADED (if its breaker is not
         * open and it is not cooling down, which are DOWN and DEGRADED in any case).
         */
        private double degradedBelow = 0.5;

        public double getDegradedBelow() {
            return degradedBelow;
        }

        public void setDegradedBelow(double degradedBelow) {
            if (degradedBelow < 0 || degradedBelow > 1) {
                throw new IllegalArgumentException("llmmesh.health.degraded-below must be in [0, 1], got "
                        + degradedBelow);
            }
            this.degradedBelow = degradedBelow;
        }
    }
}
