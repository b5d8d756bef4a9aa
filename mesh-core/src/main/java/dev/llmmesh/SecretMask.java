package dev.llmmesh;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The registry of every secret the mesh knows, and the mask applied to text the mesh did not write itself (response
 * headers and bodies, stream events, provider error text, configuration values) before that text can reach an
 * exception message, a listener event, an observation, a meter tag, a log line or an audit record.
 *
 * <p>Every {@link Secret} registers itself when it is created (API keys, the audit {@code hmacKey}, passwords in
 * store URIs: whatever is configured as a secret), and leaves when {@linkplain Secret#destroy() destroyed} or
 * collected. {@link #mask(String)} replaces, <em>case-insensitively</em>, every stretch of text that shares a run of
 * {@value #WINDOW} or more characters with a registered secret by {@value #MASK}: the whole key echoed in any letter
 * case, or a fragment of it, is gone. Secrets of {@value #WINDOW} to {@value #FRAGMENTS_FROM} characters are masked
 * where they appear whole (any case); shorter ones cannot be told from ordinary text and are not masked (provider
 * keys are far longer). {@link #maskKeyLike(String)} also hides tokens that look like credentials although no secret of this
 * JVM matches them (known key prefixes such as {@code sk-}, {@code AIza}, {@code AKIA}; tokens of 24 or more letters
 * and digits mixed, without separators, such as Azure's hex keys), for messages that quote operator input such as {@code mesh.yaml} values.
 *
 * <p>The registry is JVM-wide: a mesh masks the secrets of every mesh in the process. Thread-safe.
 */
public final class SecretMask {
    /** What a masked stretch is replaced by. */
    public static final String MASK = "***";
    /** The shortest run of a secret's characters that counts as the secret. */
    public static final int WINDOW = 8;
    /** Secrets at least this long are masked by every {@link #WINDOW}-character run; shorter ones only whole. */
    public static final int FRAGMENTS_FROM = 16;

    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?i)(?<![A-Za-z0-9])(?:(?:sk-|sk_|gsk_|xai-|pk-|rk-|hf_|ghp_|gho_|github_pat_|glpat-)[A-Za-z0-9_\\-]{6,}"
                    + "|(?:akia|asia)[A-Z0-9]{12,}|aiza[A-Za-z0-9_\\-]{20,}|eyj[A-Za-z0-9_\\-]{10,}"
                    + "(?:\\.[A-Za-z0-9_\\-]+)*)"
                    + "|(?<![A-Za-z0-9_\\-])(?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{24,}(?![A-Za-z0-9_\\-])");

    /** Registered secrets by identity (Secret does not override equals), each with its lower-case windows. */
    private static final Map<Secret, Entry> SECRETS = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile Snapshot snapshot = Snapshot.of(List.of());

    private SecretMask() {
    }

    private record Entry(String lower, Set<String> windows) {
    }

    /** Every window of every long secret in one set, and the short secrets (matched whole). */
    private record Snapshot(List<Entry> entries, Set<String> windows, long[] hashes, List<String> shortOnes) {
        static Snapshot of(List<Entry> entries) {
            Set<String> all = new HashSet<>();
            List<String> shorts = new java.util.ArrayList<>();
            for (Entry e : entries) {
                all.addAll(e.windows);
                if (e.lower.length() >= WINDOW && e.lower.length() < FRAGMENTS_FROM) {
                    shorts.add(e.lower);
                }
            }
            int size = Integer.highestOneBit(Math.max(16, all.size() * 4 - 1)) << 1;
            long[] table = new long[size];
            for (String w : all) {
                long h = slot(hash(w));
                int i = (int) (h ^ (h >>> 32)) & (size - 1);
                while (table[i] != 0 && table[i] != h) {
                    i = (i + 1) & (size - 1);
                }
                table[i] = h;
            }
            return new Snapshot(List.copyOf(entries), Set.copyOf(all), table, List.copyOf(shorts));
        }

        /** Whether a window with hash {@code h} may be a secret's (a hit is confirmed on the text). */
        boolean mayHold(long hash) {
            long h = slot(hash);
            int mask = hashes.length - 1;
            int i = (int) (h ^ (h >>> 32)) & mask;
            while (hashes[i] != 0) {
                if (hashes[i] == h) {
                    return true;
                }
                i = (i + 1) & mask;
            }
            return false;
        }
    }

    private static final long PRIME = 1_000_003L;
    /** PRIME to the power WINDOW - 1, for the rolling hash. */
    private static final long TOP = pow(PRIME, WINDOW - 1);

    private static long pow(long base, int exponent) {
        long r = 1;
        for (int i = 0; i < exponent; i++) {
            r *= base;
        }
        return r;
    }

    private static long hash(String window) {
        long h = 0;
        for (int i = 0; i < window.length(); i++) {
            h = h * PRIME + window.charAt(i);
        }
        return h;
    }

    private static long slot(long h) {
        return h == 0 ? 1 : h;
    }

    /** Registers {@code secret}; {@link Secret} calls this itself. */
    static void register(Secret secret, char[] value) {
        String lower = new String(value).toLowerCase(Locale.ROOT);
        Set<String> windows = new HashSet<>();
        if (lower.length() >= FRAGMENTS_FROM) {
            for (int i = 0; i + WINDOW <= lower.length(); i++) {
                windows.add(lower.substring(i, i + WINDOW));
            }
        }
        synchronized (SECRETS) {
            SECRETS.put(secret, new Entry(lower, Set.copyOf(windows)));
            snapshot = Snapshot.of(List.copyOf(SECRETS.values()));
        }
    }

    /** Removes {@code secret}; {@link Secret#destroy()} calls this. */
    static void unregister(Secret secret) {
        synchronized (SECRETS) {
            SECRETS.remove(secret);
            snapshot = Snapshot.of(List.copyOf(SECRETS.values()));
        }
    }

    /**
     * {@code text} with every stretch sharing a run of {@value #WINDOW} or more characters (any letter case) with a
     * registered secret replaced by {@value #MASK}; {@code null} stays {@code null}.
     */
    public static @Nullable String mask(@Nullable String text) {
        if (text == null || text.length() < 1) {
            return text;
        }
        Snapshot current = snapshot;
        if (current.entries().isEmpty()) {
            return text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() != text.length()) {
            lower = lowerSameLength(text); // a few characters change length when lower-cased
        }
        boolean[] hidden = null;
        for (String whole : current.shortOnes()) {
            int from = 0;
            int at;
            while ((at = lower.indexOf(whole, from)) >= 0) {
                hidden = mark(hidden, text.length(), at, at + whole.length());
                from = at + whole.length();
            }
        }
        Set<String> windows = current.windows();
        if (!windows.isEmpty() && lower.length() >= WINDOW) {
            long h = 0; // rolling hash of lower[i, i + WINDOW): no allocation unless a window may match
            for (int k = 0; k < WINDOW; k++) {
                h = h * PRIME + lower.charAt(k);
            }
            for (int i = 0; ; i++) {
                if (current.mayHold(h) && windows.contains(lower.substring(i, i + WINDOW))) {
                    hidden = mark(hidden, text.length(), i, i + WINDOW);
                }
                if (i + WINDOW >= lower.length()) {
                    break;
                }
                h = (h - lower.charAt(i) * TOP) * PRIME + lower.charAt(i + WINDOW);
            }
        }
        return hidden == null ? text : render(text, hidden);
    }

    private static String render(String text, boolean[] hidden) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (hidden[i]) {
                if (i == 0 || !hidden[i - 1]) {
                    out.append(MASK);
                }
            } else {
                out.append(text.charAt(i));
            }
        }
        return out.toString();
    }

    /**
     * {@code text} with every whole occurrence (any letter case) of a registered secret of {@value #WINDOW} or more
     * characters replaced by {@value #MASK}, fragments left alone. For content the caller receives (a model's answer
     * in a successful body or stream event), where masking every shared 8-character run would garble ordinary words
     * that happen to occur in a secret.
     */
    public static @Nullable String maskWhole(@Nullable String text) {
        if (text == null || text.length() < WINDOW) {
            return text;
        }
        Snapshot current = snapshot;
        if (current.entries().isEmpty()) {
            return text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.length() != text.length()) {
            lower = lowerSameLength(text);
        }
        boolean[] hidden = null;
        for (Entry e : current.entries()) {
            if (e.lower.length() < WINDOW) {
                continue;
            }
            int from = 0;
            int at;
            while ((at = lower.indexOf(e.lower, from)) >= 0) {
                hidden = mark(hidden, text.length(), at, at + e.lower.length());
                from = at + e.lower.length();
            }
        }
        return hidden == null ? text : render(text, hidden);
    }

    /**
     * As {@link #mask(String)}, and also hides tokens that look like credentials (known key prefixes, long mixed
     * letter-and-digit tokens) although no registered secret matches them. For messages that quote operator input.
     */
    public static @Nullable String maskKeyLike(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = KEY_LIKE.matcher(text); // first: a registered secret masked first would hide the token's shape
        String shaped = m.find() ? m.reset().replaceAll(MASK) : text;
        return mask(shaped);
    }

    /** Whether {@code text} shares a run of {@value #WINDOW} characters (any case) with a registered secret. */
    public static boolean containsSecret(@Nullable String text) {
        String masked = mask(text);
        return masked != null && !masked.equals(text);
    }

    /** How many secrets are registered (for tests and diagnostics; never their values). */
    public static int registered() {
        return snapshot.entries().size();
    }

    private static boolean[] mark(boolean @Nullable [] hidden, int length, int from, int to) {
        boolean[] h = hidden == null ? new boolean[length] : hidden;
        for (int i = from; i < to && i < length; i++) {
            h[i] = true;
        }
        return h;
    }

    private static String lowerSameLength(String text) {
        char[] c = text.toCharArray();
        for (int i = 0; i < c.length; i++) {
            c[i] = Character.toLowerCase(c[i]);
        }
        return new String(c);
    }
}
