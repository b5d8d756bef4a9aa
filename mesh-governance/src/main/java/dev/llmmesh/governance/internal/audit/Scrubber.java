package dev.llmmesh.governance.internal.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what looks like a credential in free text before it reaches an audit record: well-known key prefixes
 * ({@code sk-}, {@code gsk_}, {@code AKIA}, {@code AIza}, {@code ghp_}, ...), bearer tokens, {@code key=value} pairs
 * whose key names a secret, and long letter-and-digit tokens (hex or base64 keys). A safety net: sources should never
 * put secrets in text in the first place. Thread-safe.
 */
public final class Scrubber {
    /** What a masked value is replaced with. */
    public static final String MASK = "[redacted]";
    private static final Pattern PREFIXED = Pattern.compile(
            "(?:sk-|sk_|gsk_|pk-|rk_|xox[abprs]-|ghp_|gho_|ghs_|github_pat_|glpat-)[A-Za-z0-9_\\-]{6,}"
                    + "|(?:AKIA|ASIA)[0-9A-Z]{12,}|AIza[0-9A-Za-z_\\-]{16,}");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer|basic)\\s+[A-Za-z0-9._~+/=\\-]{6,}");
    private static final Pattern NAMED = Pattern.compile(
            "(?i)((?:api[-_]?key|apikey|x-api-key|token|secret|password|passwd|authorization|signature|sig)"
                    + "\\s*[=:]\\s*\"?)[^\\s\"&,;]{4,}");
    private static final Pattern LONG_TOKEN = Pattern.compile("[A-Za-z0-9+/=_]{32,}");

    private Scrubber() {
    }

    /** {@code text} with credential-looking parts replaced by {@value #MASK}. */
    public static String scrub(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String t = PREFIXED.matcher(text).replaceAll(MASK);
        t = BEARER.matcher(t).replaceAll("$1 " + Matcher.quoteReplacement(MASK));
        t = NAMED.matcher(t).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        Matcher m = LONG_TOKEN.matcher(t);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String token = m.group();
            if (hasLetterAndDigit(token)) {
                if (out == null) {
                    out = new StringBuilder(t.length());
                }
                out.append(t, last, m.start()).append(MASK);
                last = m.end();
            }
        }
        if (out == null) {
            return t;
        }
        return out.append(t, last, t.length()).toString();
    }

    private static boolean hasLetterAndDigit(String s) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < s.length() && !(letter && digit); i++) {
            char c = s.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        return letter && digit;
    }
}
