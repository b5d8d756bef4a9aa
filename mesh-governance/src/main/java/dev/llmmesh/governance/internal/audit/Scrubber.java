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
        if (text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        return scrubWithPatterns(text);
    }

    /** {@link #scrub} without the one-pass pre-check: every pattern over the text. */
    static String scrubWithPatterns(String text) {
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

    private static final String[] PREFIXES = {"sk-", "sk_", "gsk_", "pk-", "rk_", "xoxa-", "xoxb-", "xoxp-", "xoxr-",
        "xoxs-", "ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "AKIA", "ASIA", "AIza"};
    private static final String[] SECRET_NAME_ENDINGS = {"key", "token", "secret", "password", "passwd",
        "authorization", "signature", "sig"};

    /**
     * One pass over {@code text} that is true whenever one of the patterns could match (and for some texts where none
     * does): a run of 32 or more token characters, a run of 9 or more key characters holding a known prefix,
     * {@code bearer} or {@code basic} at the end of a word, or {@code =} / {@code :} after a word ending in a secret
     * name. Ordinary text (ids, model names, details) is returned as it is without running any pattern.
     */
    static boolean mayHoldSecret(String text) {
        int tokenRun = 0;
        int keyRun = 0;
        int letters = 0;
        int n = text.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : ' ';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (letter || digit || c == '+' || c == '/' || c == '=' || c == '_') {
                if (++tokenRun >= 32) {
                    return true;
                }
            } else {
                tokenRun = 0;
            }
            if (letter || digit || c == '_' || c == '-') {
                keyRun++;
            } else {
                if (keyRun >= 9 && holdsPrefix(text, i - keyRun, i)) {
                    return true;
                }
                keyRun = 0;
            }
            if (letter) {
                letters++;
                continue;
            }
            if (letters >= 5 && (endsWithIgnoreCase(text, i, "bearer") || endsWithIgnoreCase(text, i, "basic"))) {
                return true;
            }
            letters = 0;
            if ((c == '=' || c == ':') && afterSecretName(text, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holdsPrefix(String text, int from, int to) {
        for (int at = from; at < to; at++) {
            char c = text.charAt(at);
            if (c != 's' && c != 'g' && c != 'p' && c != 'r' && c != 'x' && c != 'A') {
                continue;
            }
            for (String p : PREFIXES) {
                if (at + p.length() <= to && text.startsWith(p, at)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the word before {@code at} (spaces skipped, as {@code \s*} does) ends in a secret name. */
    private static boolean afterSecretName(String text, int at) {
        int end = at;
        while (end > 0 && isRegexSpace(text.charAt(end - 1))) {
            end--;
        }
        for (String name : SECRET_NAME_ENDINGS) {
            if (endsWithIgnoreCase(text, end, name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static boolean endsWithIgnoreCase(String text, int end, String suffix) {
        int start = end - suffix.length();
        return start >= 0 && text.regionMatches(true, start, suffix, 0, suffix.length());
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
