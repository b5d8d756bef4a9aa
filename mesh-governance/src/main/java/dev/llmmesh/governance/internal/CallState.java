package dev.llmmesh.governance.internal;

import dev.llmmesh.CallContext;
import dev.llmmesh.DataClass;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiScanner;
import dev.llmmesh.governance.pii.PiiSpan;
import dev.llmmesh.governance.pii.PiiVault;
import dev.llmmesh.governance.policy.EffectivePolicy;
import dev.llmmesh.intercept.CallScope;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** What governance knows about one call while it runs. Thread-safe (hedged attempts may share it). */
public final class CallState {
    final String token;
    final CallScope scope;
    final Optional<String> team;
    final EffectivePolicy policy;
    final PiiVault vault = new PiiVault();
    private final Map<String, List<PiiSpan>> spansByText = new ConcurrentHashMap<>();
    private final Set<String> inputValues = ConcurrentHashMap.newKeySet();
    private final Set<String> recorded = ConcurrentHashMap.newKeySet();
    volatile @Nullable DataClass blockedMinClass;
    volatile @Nullable EntityType blockedType;
    volatile boolean echoSeenInStream;
    /** Counts attempts, so streaming transformers can drop text held from an attempt that failed before commit. */
    final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

    CallState(String token, CallScope scope, CallContext context, EffectivePolicy policy) {
        this.token = token;
        this.scope = scope;
        this.team = context.team();
        this.policy = policy;
    }

    /** The spans of {@code text}, scanning it on first use. */
    List<PiiSpan> spans(String text, PiiScanner scanner) {
        List<PiiSpan> s = spansByText.get(text);
        if (s == null) {
            s = scanner.scan(text);
            spansByText.put(text, s);
        }
        return s;
    }

    /** Remembers the input's values so that the output check can tell a leak from an echo of the caller's own data. */
    void rememberInput(String text, List<PiiSpan> spans) {
        for (PiiSpan s : spans) {
            inputValues.add(normalize(text.substring(s.start(), s.end())));
        }
    }

    boolean fromInput(String value) {
        return inputValues.contains(normalize(value));
    }

    /** Whether this (policy, subject) pair was recorded before in this call; records it if not. */
    boolean firstTime(String policyId, String subject) {
        return recorded.add(policyId + '\u0000' + subject);
    }

    static String normalize(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** Set of entity types found in the input (for diagnostics). */
    Set<EntityType> inputTypes() {
        Set<EntityType> out = new HashSet<>();
        spansByText.values().forEach(l -> l.forEach(s -> out.add(s.type())));
        return out;
    }
}
