package dev.llmmesh.governance.budget;

import dev.llmmesh.CallContext;
import dev.llmmesh.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a call's subjects are found in its {@link CallContext}: the team and user from the context itself, the API key
 * and the agent run from attributes. API keys are never used raw: a key becomes its <em>key id</em>, the first 128 bits
 * of HMAC-SHA256 over the key with a pepper, in hex. Configure a secret pepper so that key ids cannot be checked
 * against guessed keys offline; without one a fixed, public domain-separation key is used, which still keeps key ids
 * different from plain hashes of the key.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the pepper.
 */
public final class ScopeIdentity {
    /** The context attribute holding the caller's API key, unless configured otherwise. */
    public static final String DEFAULT_API_KEY_ATTRIBUTE = "auth.key";
    /** The context attribute holding the agent run id (set by the agents module). */
    public static final String DEFAULT_AGENT_RUN_ATTRIBUTE = "agents.run";
    private static final byte[] PUBLIC_PEPPER = "llm-mesh/api-key-id/v1".getBytes(StandardCharsets.UTF_8);
    private static final ScopeIdentity DEFAULTS = new ScopeIdentity(DEFAULT_API_KEY_ATTRIBUTE,
            DEFAULT_AGENT_RUN_ATTRIBUTE, Optional.empty());

    private final String apiKeyAttribute;
    private final String agentRunAttribute;
    private final boolean peppered;
    private final SecretKeySpec pepper;
    private final ThreadLocal<Mac> macs;

    private ScopeIdentity(String apiKeyAttribute, String agentRunAttribute, Optional<Secret> pepper) {
        this.apiKeyAttribute = requireText(apiKeyAttribute, "apiKeyAttribute");
        this.agentRunAttribute = requireText(agentRunAttribute, "agentRunAttribute");
        this.peppered = pepper.isPresent();
        this.pepper = new SecretKeySpec(pepper.map(s -> s.reveal().getBytes(StandardCharsets.UTF_8))
                .orElse(PUBLIC_PEPPER), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** API key from {@code auth.key}, agent run from {@code agents.run}, no secret pepper. */
    public static ScopeIdentity defaults() {
        return DEFAULTS;
    }

    /**
     * @param apiKeyAttribute   the context attribute holding the caller's API key
     * @param agentRunAttribute the context attribute holding the agent run id
     * @param pepper            the HMAC key for key ids; empty for the public default
     * @throws IllegalArgumentException if an attribute name is blank
     */
    public static ScopeIdentity of(String apiKeyAttribute, String agentRunAttribute, Optional<Secret> pepper) {
        return new ScopeIdentity(apiKeyAttribute, agentRunAttribute, Objects.requireNonNull(pepper, "pepper"));
    }

    /** The context attribute holding the caller's API key. */
    public String apiKeyAttribute() {
        return apiKeyAttribute;
    }

    /** The context attribute holding the agent run id. */
    public String agentRunAttribute() {
        return agentRunAttribute;
    }

    /**
     * The call's subject of kind {@code scope}: {@code org} for {@link Scope#ORG}, the team, the user, the API key's
     * key id, or the run id; empty when the context does not say.
     */
    public Optional<String> subject(Scope scope, CallContext context) {
        switch (scope) {
            case ORG:
                return Optional.of("org");
            case TEAM:
                return context.team();
            case USER:
                return context.user();
            case API_KEY:
                return Optional.ofNullable(context.attributes().get(apiKeyAttribute))
                        .filter(k -> !k.isBlank()).map(this::apiKeyId);
            default:
                return Optional.ofNullable(context.attributes().get(agentRunAttribute)).filter(r -> !r.isBlank());
        }
    }

    /** The key id of {@code rawKey}: 32 hex characters that identify the key without revealing it. */
    public String apiKeyId(String rawKey) {
        Objects.requireNonNull(rawKey, "rawKey");
        Mac mac = macs.get();
        byte[] out = mac.doFinal(rawKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(out, 0, 16);
    }

    /** The key id of {@code key}. */
    public String apiKeyId(Secret key) {
        return apiKeyId(key.reveal());
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pepper);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static String requireText(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return s;
    }

    @Override
    public String toString() {
        return "ScopeIdentity{apiKeyAttribute=" + apiKeyAttribute + ", agentRunAttribute=" + agentRunAttribute
                + ", pepper=" + (peppered ? "***" : "public default") + '}';
    }
}
