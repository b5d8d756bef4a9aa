package dev.llmmesh.governance.pii;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Rewrites a text so that detected values are masked, hashed or pseudonymized, span by span. Immutable and
 * thread-safe.
 *
 * <ul>
 *   <li>{@link PiiAction#MASK} and {@link PiiAction#BLOCK}: {@code <EMAIL>};</li>
 *   <li>{@link PiiAction#HASH}: {@code <EMAIL#3f9a0c1d2b4e>}, the first 12 hex digits of HMAC-SHA256 over type and
 *       value with this redactor's key (stable for one key, so equal values stay linkable);</li>
 *   <li>{@link PiiAction#PSEUDONYMIZE}: {@code <EMAIL_1_k7q2mx9d>} from the call's {@link PiiVault} (numbered per
 *       type, tagged per call), restorable;</li>
 *   <li>{@link PiiAction#NONE}: unchanged.</li>
 * </ul>
 */
public final class PiiRedactor {
    private final SecretKeySpec key;

    private PiiRedactor(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** A redactor whose hash key is random: hashes are stable within this JVM only. */
    public static PiiRedactor withRandomHashKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new PiiRedactor(k);
    }

    /**
     * A redactor with a fixed hash key, so hashes are stable across restarts and instances.
     *
     * @throws IllegalArgumentException if the key is shorter than 16 bytes
     */
    public static PiiRedactor withHashKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16) {
            throw new IllegalArgumentException("the PII hash key must have at least 16 bytes, got " + key.length);
        }
        return new PiiRedactor(key);
    }

    /**
     * Rewrites {@code text}, recording pseudonymized values as found in the caller's user messages
     * ({@link PiiSource#USER}).
     *
     * @param spans     disjoint spans sorted by start (as {@link PiiScanner#scan} returns them)
     * @param actionFor the action for each span ({@link PiiAction#NONE} leaves it)
     * @param vault     the call's vault, for pseudonyms
     */
    public RedactedText redact(String text, List<PiiSpan> spans, Function<PiiSpan, PiiAction> actionFor,
                               PiiVault vault) {
        return redact(text, spans, actionFor, vault, s -> PiiSource.USER);
    }

    /**
     * Rewrites {@code text}.
     *
     * @param spans     disjoint spans sorted by start (as {@link PiiScanner#scan} returns them)
     * @param actionFor the action for each span ({@link PiiAction#NONE} leaves it)
     * @param vault     the call's vault, for pseudonyms
     * @param sourceOf  where each span's value was found, recorded in the vault for restore
     */
    public RedactedText redact(String text, List<PiiSpan> spans, Function<PiiSpan, PiiAction> actionFor,
                               PiiVault vault, Function<PiiSpan, PiiSource> sourceOf) {
        Objects.requireNonNull(text, "text");
        if (spans.isEmpty()) {
            return new RedactedText(text, List.of());
        }
        StringBuilder out = new StringBuilder(text.length() + 16 * spans.size());
        List<RedactedText.Change> changes = new ArrayList<>();
        int copied = 0;
        for (PiiSpan s : spans) {
            if (s.start() < copied || s.end() > text.length()) {
                throw new IllegalArgumentException("spans must be disjoint, sorted and inside the text; got " + s);
            }
            PiiAction action = actionFor.apply(s);
            if (action == PiiAction.NONE) {
                continue;
            }
            String value = text.substring(s.start(), s.end());
            String replacement = action == PiiAction.PSEUDONYMIZE
                    ? vault.placeholderFor(s.type(), value, sourceOf.apply(s))
                    : replacement(s.type(), value, action, vault);
            out.append(text, copied, s.start()).append(replacement);
            copied = s.end();
            changes.add(new RedactedText.Change(s.type(), action));
        }
        if (changes.isEmpty()) {
            return new RedactedText(text, List.of());
        }
        out.append(text, copied, text.length());
        return new RedactedText(out.toString(), changes);
    }

    /** The replacement for one value. */
    public String replacement(EntityType type, String value, PiiAction action, PiiVault vault) {
        return switch (action) {
            case NONE -> value;
            case MASK, BLOCK -> "<" + type.name() + ">";
            case HASH -> "<" + type.name() + "#" + hash(type, value) + ">";
            case PSEUDONYMIZE -> vault.placeholderFor(type, value);
        };
    }

    private String hash(EntityType type, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal((type.name() + ':' + value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "PiiRedactor{key=***}";
    }
}
