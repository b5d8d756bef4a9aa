package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiDetector;
import dev.llmmesh.governance.pii.PiiSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The built-in detectors as one hand-written, single-pass scanner (no regular expressions on the hot path): it looks
 * at each character once and runs a detailed check only at a trigger (an {@code @}, the start of a number, an
 * upper-case country code, {@code ://}, a known key prefix, a secret or birth keyword). Thread-safe and stateless.
 *
 * <p>Checks: payment cards need 13 to 19 digits, a card-scheme prefix and the Luhn check (a Luhn-invalid number that
 * looks like a card is consumed without a hit, so no other type claims it); IBANs need their country's registered
 * length and mod-97; SSNs need issued ranges; IPv4 octets are at most 255; IPv6 is parsed; phones need 7 to 15
 * digits in a phone-like grouping that is not a date, an IP address or an SSN; unseparated digit runs count as a
 * phone only after {@code +} or a phone keyword; dates of birth need a keyword (born, birth, DOB) just before.
 */
public final class BuiltInDetector implements PiiDetector {
    private static final String[] KEY_PREFIXES = {
        "sk-ant-", "sk-proj-", "sk-", "sk_live_", "sk_test_", "rk_live_", "AKIA", "ASIA", "AIza", "ghp_", "gho_",
        "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "hf_", "npm_",
        "eyJ"};
    private static final int[] KEY_MIN_BODY = {
        20, 20, 20, 16, 16, 16, 16, 16, 30, 30, 30, 30, 30, 30, 22, 20, 10, 10, 10, 10, 10, 30, 30, 20};
    /** For each ASCII first character, the indexes of the key prefixes starting with it (null for none). */
    private static final int[][] PREFIXES_BY_CHAR = new int[128][];

    static {
        for (int k = 0; k < KEY_PREFIXES.length; k++) {
            char c = KEY_PREFIXES[k].charAt(0);
            int[] old = PREFIXES_BY_CHAR[c];
            int[] grown = old == null ? new int[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = k;
            PREFIXES_BY_CHAR[c] = grown;
        }
    }

    private static final String[] SECRET_WORDS = {
        "api_key", "apikey", "api-key", "secret", "token", "password", "passwd", "pwd", "bearer", "access_key",
        "auth", "credential", "key"};
    /** For each ASCII first character, the secret keywords starting with it (null for none). */
    private static final String[][] SECRET_WORDS_BY_CHAR = new String[128][];

    static {
        for (String w : SECRET_WORDS) {
            char c = w.charAt(0);
            String[] old = SECRET_WORDS_BY_CHAR[c];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = w;
            SECRET_WORDS_BY_CHAR[c] = grown;
        }
    }

    private static final String[] BIRTH_WORDS = {"born", "birth", "dob", "d.o.b"};
    private static final String[] PHONE_WORDS = {"phone", "tel", "call", "mobile", "cell", "fax", "whatsapp",
        "contact"};
    private static final String[] SSN_WORDS = {"ssn", "social security", "social sec"};
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
        "nov", "dec"};

    private final boolean email;
    private final boolean phone;
    private final boolean card;
    private final boolean iban;
    private final boolean ssn;
    private final boolean ip;
    private final boolean apiKey;
    private final boolean urlCredentials;
    private final boolean dateOfBirth;
    private final Set<EntityType> types;

    /**
     * @param types which built-in types to report (others are still recognised so they are not mistaken for
     *              another type, but are not reported)
     */
    public BuiltInDetector(Set<EntityType> types) {
        this.types = Set.copyOf(types);
        this.email = types.contains(EntityType.EMAIL);
        this.phone = types.contains(EntityType.PHONE);
        this.card = types.contains(EntityType.CREDIT_CARD);
        this.iban = types.contains(EntityType.IBAN);
        this.ssn = types.contains(EntityType.US_SSN);
        this.ip = types.contains(EntityType.IP_ADDRESS);
        this.apiKey = types.contains(EntityType.API_KEY);
        this.urlCredentials = types.contains(EntityType.URL_CREDENTIALS);
        this.dateOfBirth = types.contains(EntityType.DATE_OF_BIRTH);
    }

    @Override
    public Set<EntityType> types() {
        return types;
    }

    @Override
    public List<PiiSpan> detect(CharSequence text) {
        String s = text.toString();
        List<PiiSpan> out = new ArrayList<>();
        // scratch for number clusters, reused within this call (the detector itself holds no state)
        int[] gs = new int[12];
        int[] ge = new int[12];
        char[] sep = new char[12];
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int next = i + 1;
            if (c == '@') {
                if (email) {
                    email(s, i, out);
                }
            } else if (c >= '0' && c <= '9') {
                char prev = i > 0 ? s.charAt(i - 1) : ' ';
                if (!isAlnum(prev) && prev != '_') {
                    if (ip && c <= '9' && colonSoon(s, i)) {
                        int end = ipv6(s, i, out);
                        if (end > i) {
                            i = end;
                            continue;
                        }
                    }
                    next = numberCluster(s, i, out, gs, ge, sep);
                } else {
                    next = skipDigits(s, i);
                }
            } else if (c == ':') {
                if (i + 2 < n && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
                    if (urlCredentials) {
                        urlCredentials(s, i, out);
                    }
                } else if (ip && i + 1 < n && s.charAt(i + 1) == ':' && (i == 0 || !isHex(s.charAt(i - 1)))) {
                    int end = ipv6(s, i, out);
                    if (end > i) {
                        next = end;
                    }
                }
            } else if (isLetter(c)) {
                char prev = i > 0 ? s.charAt(i - 1) : ' ';
                if (!isAlnum(prev) && prev != '_' && prev != '-') {
                    next = wordStart(s, i, c, out);
                }
            } else if (c == '-' && apiKey && s.startsWith("-----BEGIN", i)) {
                next = privateKey(s, i, out);
            }
            i = Math.max(next, i + 1);
        }
        return out;
    }

    // ------------------------------------------------------------------ word-start triggers

    private int wordStart(String s, int i, char c, List<PiiSpan> out) {
        int n = s.length();
        // one pass: where the letters end (nothing starts inside them) and where the identifier ends
        int letterEnd = i + 1;
        while (letterEnd < n && (isLetter(s.charAt(letterEnd)) || s.charAt(letterEnd) == '_')) {
            letterEnd++;
        }
        int idEnd = letterEnd;
        while (idEnd < n && idEnd - i < 48 && (isAlnum(s.charAt(idEnd)) || s.charAt(idEnd) == '_'
                || s.charAt(idEnd) == '-')) {
            idEnd++;
        }
        // IBAN: two letters (either case), two digits
        if (c < 128 && i + 3 < n && isAsciiLetter(s.charAt(i + 1)) && isDigit(s.charAt(i + 2))
                && isDigit(s.charAt(i + 3))) {
            int end = iban(s, i, out);
            if (end > i) {
                return end;
            }
        }
        // IPv6 starting with a hex letter
        if (ip && isHex(c) && colonSoon(s, i)) {
            int end = ipv6(s, i, out);
            if (end > i) {
                return end;
            }
        }
        if (apiKey) {
            int end = keyPrefix(s, i, out);
            if (end > i) {
                return end;
            }
            end = secretAfterKeyword(s, i, idEnd, out);
            if (end > i) {
                return end;
            }
        }
        if (dateOfBirth) {
            birthKeyword(s, i, out);
        }
        return letterEnd; // nothing starts inside a run of letters
    }

    private int keyPrefix(String s, int i, List<PiiSpan> out) {
        char c = s.charAt(i);
        int[] candidates = c < 128 ? PREFIXES_BY_CHAR[c] : null;
        if (candidates == null) {
            return i;
        }
        for (int k : candidates) {
            String p = KEY_PREFIXES[k];
            if (p.charAt(0) == c && i + 1 < s.length() && p.charAt(1) == s.charAt(i + 1) && s.startsWith(p, i)) {
                boolean jwt = p.equals("eyJ");
                int j = i + p.length();
                int n = s.length();
                while (j < n && (isAlnum(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '-'
                        || (jwt && s.charAt(j) == '.'))) {
                    j++;
                }
                while (j > i && (s.charAt(j - 1) == '.' || s.charAt(j - 1) == '-')) {
                    j--;
                }
                int body = j - i - p.length();
                if (body >= KEY_MIN_BODY[k] && (!jwt || dots(s, i, j) == 2) && hasDigit(s, i + p.length(), j)) {
                    out.add(new PiiSpan(EntityType.API_KEY, i, j, 1.0));
                    return j;
                }
                if (body >= KEY_MIN_BODY[k] && !jwt && Checksums.entropy(s, i + p.length(), j) >= 3.5) {
                    out.add(new PiiSpan(EntityType.API_KEY, i, j, 0.9));
                    return j;
                }
                return i;
            }
        }
        return i;
    }

    private int secretAfterKeyword(String s, int i, int idEnd, List<PiiSpan> out) {
        int n = s.length();
        char c = Character.toLowerCase(s.charAt(i));
        boolean keyword = false;
        String[] words = c < 128 ? SECRET_WORDS_BY_CHAR[c] : null;
        if (words != null) {
            for (String w : words) {
                if (startsWithWord(s, i, w)) {
                    keyword = true;
                    break;
                }
            }
        }
        int j = idEnd;
        while (j < n && j - idEnd < 2 && (s.charAt(j) == ' ' || s.charAt(j) == '"' || s.charAt(j) == '\'')) {
            j++;
        }
        boolean assignment = j < n && (s.charAt(j) == ':' || s.charAt(j) == '=');
        if (!keyword) {
            // an identifier such as client_secret or AWS_SECRET_ACCESS_KEY, assigned a value
            if (!assignment || idEnd - i < 4) {
                return i;
            }
            // only now pay for the search
            String id = s.substring(i, idEnd).toLowerCase(java.util.Locale.ROOT);
            for (String w : SECRET_WORDS) {
                if (id.contains(w)) {
                    keyword = true;
                    break;
                }
            }
            if (!keyword) {
                return i;
            }
        }
        j = idEnd;
        int gap = 0;
        while (j < n && gap < 4 && " \t:=\"'`".indexOf(s.charAt(j)) >= 0) {
            j++;
            gap++;
        }
        if (j + 3 < n && s.regionMatches(true, j, "is ", 0, 3)) {
            j += 3;
        }
        if (gap == 0) {
            return i;
        }
        int start = j;
        while (j < n && j - start < 256 && isTokenChar(s.charAt(j))) {
            j++;
        }
        while (j > start && (s.charAt(j - 1) == '.' || s.charAt(j - 1) == ',')) {
            j--;
        }
        int len = j - start;
        if (len >= 16 && hasDigit(s, start, j) && hasLetter(s, start, j) && Checksums.entropy(s, start, j) >= 3.5) {
            out.add(new PiiSpan(EntityType.API_KEY, start, j, 0.8));
            return j;
        }
        return i;
    }

    private int privateKey(String s, int i, List<PiiSpan> out) {
        int header = s.indexOf("PRIVATE KEY-----", i);
        if (header < 0 || header - i > 40) {
            return i + 1;
        }
        int end = s.indexOf("-----END", header);
        if (end < 0) {
            return i + 1;
        }
        int close = s.indexOf("-----", end + 8);
        int stop = close < 0 ? s.length() : close + 5;
        if (apiKey) {
            out.add(new PiiSpan(EntityType.API_KEY, i, stop, 1.0));
        }
        return stop;
    }

    private void birthKeyword(String s, int i, List<PiiSpan> out) {
        char c = Character.toLowerCase(s.charAt(i));
        if (c != 'b' && c != 'd') {
            return;
        }
        for (String w : BIRTH_WORDS) {
            if (w.charAt(0) == c && startsWithWord(s, i, w)) {
                int n = s.length();
                int limit = Math.min(n, i + w.length() + 40);
                for (int j = i + w.length(); j < limit; j++) {
                    char d = s.charAt(j);
                    if (isDigit(d) && !isAlnum(s.charAt(j - 1))) {
                        int end = numericDate(s, j);
                        if (end < 0) {
                            end = dayMonthYear(s, j);
                        }
                        if (end > 0) {
                            out.add(new PiiSpan(EntityType.DATE_OF_BIRTH, j, end, 0.9));
                            return;
                        }
                    } else if (isLetter(d) && !isAlnum(s.charAt(j - 1))) {
                        int end = monthDayYear(s, j);
                        if (end > 0) {
                            out.add(new PiiSpan(EntityType.DATE_OF_BIRTH, j, end, 0.9));
                            return;
                        }
                    }
                }
                return;
            }
        }
    }

    /** The end of a numeric date (d/m/y, m/d/y or y-m-d, separators / - .) starting at {@code i}, or -1. */
    private static int numericDate(String s, int i) {
        int n = s.length();
        int[] parts = new int[3];
        int[] lens = new int[3];
        int j = i;
        char sep = 0;
        for (int p = 0; p < 3; p++) {
            int st = j;
            int v = 0;
            while (j < n && isDigit(s.charAt(j)) && j - st < 4) {
                v = v * 10 + (s.charAt(j) - '0');
                j++;
            }
            if (j == st) {
                return -1;
            }
            parts[p] = v;
            lens[p] = j - st;
            if (p < 2) {
                if (j >= n) {
                    return -1;
                }
                char d = s.charAt(j);
                if (d != '/' && d != '-' && d != '.') {
                    return -1;
                }
                if (sep != 0 && d != sep) {
                    return -1;
                }
                sep = d;
                j++;
            }
        }
        if (j < n && isDigit(s.charAt(j))) {
            return -1;
        }
        return isDate(parts, lens) ? j : -1;
    }

    private static boolean isDate(int[] p, int[] len) {
        if (len[0] == 4) {
            return len[1] <= 2 && len[2] <= 2 && p[1] >= 1 && p[1] <= 12 && p[2] >= 1 && p[2] <= 31;
        }
        if (len[2] == 4 || len[2] == 2) {
            boolean dm = p[0] >= 1 && p[0] <= 31 && p[1] >= 1 && p[1] <= 12;
            boolean md = p[0] >= 1 && p[0] <= 12 && p[1] >= 1 && p[1] <= 31;
            return len[0] <= 2 && len[1] <= 2 && (dm || md);
        }
        return false;
    }

    /** "3 March 1985" / "3rd of March, 1985". */
    private static int dayMonthYear(String s, int i) {
        int n = s.length();
        int j = i;
        while (j < n && isDigit(s.charAt(j)) && j - i < 2) {
            j++;
        }
        if (j < n && isLetter(s.charAt(j))) {
            j += Math.min(2, n - j); // st, nd, rd, th
        }
        while (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '.')) {
            j++;
        }
        if (s.regionMatches(true, j, "of ", 0, 3)) {
            j += 3;
        }
        int m = month(s, j);
        if (m < 0) {
            return -1;
        }
        return year(s, m);
    }

    /** "March 3, 1985". */
    private static int monthDayYear(String s, int i) {
        int j = month(s, i);
        if (j < 0) {
            return -1;
        }
        int n = s.length();
        int st = j;
        while (j < n && isDigit(s.charAt(j)) && j - st < 2) {
            j++;
        }
        if (j == st) {
            return -1;
        }
        if (j + 1 < n && isLetter(s.charAt(j)) && isLetter(s.charAt(j + 1))) {
            j += 2;
        }
        return year(s, j);
    }

    /** After a month name at {@code i} (and following spaces), the index of what follows; -1 if no month. */
    private static int month(String s, int i) {
        int n = s.length();
        for (String m : MONTHS) {
            if (s.regionMatches(true, i, m, 0, 3)) {
                int j = i + 3;
                while (j < n && isLetter(s.charAt(j))) {
                    j++;
                }
                if (j - i > 9) {
                    return -1;
                }
                while (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '.' || s.charAt(j) == ',')) {
                    j++;
                }
                return j;
            }
        }
        return -1;
    }

    private static int year(String s, int j) {
        int n = s.length();
        while (j < n && (s.charAt(j) == ' ' || s.charAt(j) == ',')) {
            j++;
        }
        int st = j;
        while (j < n && isDigit(s.charAt(j))) {
            j++;
        }
        return j - st == 4 ? j : -1;
    }

    // ------------------------------------------------------------------ e-mail, URL credentials

    private static void email(String s, int at, List<PiiSpan> out) {
        int start = at;
        while (start > 0 && isLocalChar(s.charAt(start - 1)) && at - start < 64) {
            start--;
        }
        while (start < at && s.charAt(start) == '.') {
            start++;
        }
        if (start == at || s.charAt(at - 1) == '.') {
            return;
        }
        int n = s.length();
        int j = at + 1;
        int labels = 0;
        int lastLabelStart = j;
        while (j < n) {
            int ls = j;
            while (j < n && (isAlnum(s.charAt(j)) || s.charAt(j) == '-')) {
                j++;
            }
            if (j == ls) {
                break;
            }
            labels++;
            lastLabelStart = ls;
            if (j + 1 < n && s.charAt(j) == '.' && isAlnum(s.charAt(j + 1))) {
                j++;
            } else {
                break;
            }
        }
        if (labels < 2) {
            return;
        }
        for (int k = lastLabelStart; k < j; k++) {
            if (!isLetter(s.charAt(k))) {
                return;
            }
        }
        if (j - lastLabelStart < 2) {
            return;
        }
        out.add(new PiiSpan(EntityType.EMAIL, start, j, 1.0));
    }

    private static void urlCredentials(String s, int colon, List<PiiSpan> out) {
        int k = colon;
        while (k > 0 && (isAlnum(s.charAt(k - 1)) || "+.-".indexOf(s.charAt(k - 1)) >= 0)) {
            k--;
        }
        if (colon - k < 2 || !isLetter(s.charAt(k))) {
            return;
        }
        int start = colon + 3;
        int n = s.length();
        int j = start;
        boolean sawColon = false;
        while (j < n && j - start < 256) {
            char c = s.charAt(j);
            if (c == '@') {
                if (sawColon && j > start + 2) {
                    out.add(new PiiSpan(EntityType.URL_CREDENTIALS, start, j, 1.0));
                }
                return;
            }
            if (Character.isWhitespace(c) || c == '/' || c == '?' || c == '#') {
                return;
            }
            if (c == ':') {
                sawColon = true;
            }
            j++;
        }
    }

    // ------------------------------------------------------------------ IBAN, IPv6

    private int iban(String s, int i, List<PiiSpan> out) {
        Integer len = Checksums.IBAN_LENGTHS.get(s.substring(i, i + 2).toUpperCase(java.util.Locale.ROOT));
        if (len == null) {
            return i;
        }
        int n = s.length();
        StringBuilder compact = new StringBuilder(len);
        int j = i;
        int end = i;
        while (j < n && compact.length() < len) {
            char c = s.charAt(j);
            if (isDigit(c) || isAsciiLetter(c)) {
                compact.append(Character.toUpperCase(c));
                j++;
                end = j;
            } else if (c == ' ' && j + 1 < n && (isDigit(s.charAt(j + 1)) || isAsciiLetter(s.charAt(j + 1)))
                    && compact.length() >= 4) {
                j++;
            } else {
                break;
            }
        }
        if (compact.length() != len || (end < n && isAlnum(s.charAt(end)))) {
            return i;
        }
        if (Checksums.iban(compact.toString())) {
            if (iban) {
                out.add(new PiiSpan(EntityType.IBAN, i, end, 1.0));
            }
            return end;
        }
        return i;
    }

    private static boolean colonSoon(String s, int i) {
        int limit = Math.min(s.length(), i + 6);
        for (int j = i + 1; j < limit; j++) {
            char c = s.charAt(j);
            if (c == ':') {
                return true;
            }
            if (!isHex(c)) {
                return false;
            }
        }
        return false;
    }

    /** Parses an IPv6 address at {@code i}; returns its end after reporting it, or {@code i} if none. */
    private int ipv6(String s, int i, List<PiiSpan> out) {
        int n = s.length();
        int j = i;
        while (j < n && j - i < 46 && (isHex(s.charAt(j)) || s.charAt(j) == ':' || s.charAt(j) == '.')) {
            j++;
        }
        if (j < n && (isAlnum(s.charAt(j)) || s.charAt(j) == '_')) {
            return i;
        }
        while (j > i && (s.charAt(j - 1) == '.' || (s.charAt(j - 1) == ':' && (j - 2 < i || s.charAt(j - 2) != ':')))) {
            j--;
        }
        String t = s.substring(i, j);
        if (!validIpv6(t)) {
            return i;
        }
        out.add(new PiiSpan(EntityType.IP_ADDRESS, i, j, 1.0));
        return j;
    }

    static boolean validIpv6(String t) {
        int dbl = t.indexOf("::");
        if (dbl >= 0 && t.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        String[] parts = t.split(":", -1);
        int groups = 0;
        int colons = parts.length - 1;
        if (colons < 2) {
            return false;
        }
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k];
            if (p.isEmpty()) {
                continue;
            }
            if (k == parts.length - 1 && p.indexOf('.') >= 0) {
                if (!validIpv4(p)) {
                    return false;
                }
                groups += 2;
                continue;
            }
            if (p.length() > 4) {
                return false;
            }
            for (int q = 0; q < p.length(); q++) {
                if (!isHex(p.charAt(q))) {
                    return false;
                }
            }
            groups++;
        }
        if (dbl < 0) {
            return groups == 8 && !t.startsWith(":") && !t.endsWith(":");
        }
        return groups >= 1 && groups <= 7 && (groups >= 2 || colons >= 2) && !(t.startsWith(":") && dbl != 0)
                && !(t.endsWith(":") && dbl != t.length() - 2);
    }

    private static boolean validIpv4(String p) {
        String[] o = p.split("\\.", -1);
        if (o.length != 4) {
            return false;
        }
        for (String x : o) {
            if (x.isEmpty() || x.length() > 3) {
                return false;
            }
            for (int q = 0; q < x.length(); q++) {
                if (!isDigit(x.charAt(q))) {
                    return false;
                }
            }
            if (Integer.parseInt(x) > 255) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ numbers

    private static int skipDigits(String s, int i) {
        int j = i;
        while (j < s.length() && isDigit(s.charAt(j))) {
            j++;
        }
        return j;
    }

    /**
     * A cluster is digit groups joined by single separators (space, dash, dot, slash) or parentheses, with an
     * optional leading {@code +} or {@code (}. Returns where scanning continues.
     */
    private int numberCluster(String s, int i, List<PiiSpan> out, int[] gs, int[] ge, char[] sep) {
        int n = s.length();
        int start = i;
        boolean plus = false;
        boolean paren = false;
        if (i > 0 && s.charAt(i - 1) == '+') {
            start = i - 1;
            plus = true;
        } else if (i > 0 && s.charAt(i - 1) == '(') {
            start = i - 1;
            paren = true;
        }
        if (start > 0 && isAlnum(s.charAt(start - 1))) {
            return skipDigits(s, i);
        }
        int k = 0;
        int j = i;
        int digits = 0;
        boolean openParen = paren;
        while (k < 12) {
            int st = j;
            while (j < n && isDigit(s.charAt(j))) {
                j++;
            }
            gs[k] = st;
            ge[k] = j;
            digits += j - st;
            k++;
            if (j >= n || digits > 40) {
                break;
            }
            char c = s.charAt(j);
            int after = j + 1;
            char sp = c;
            if (c == ')' && openParen) {
                openParen = false;
                if (after < n && (s.charAt(after) == ' ' || s.charAt(after) == '-' || s.charAt(after) == '.')) {
                    after++;
                }
                sp = ')';
            } else if (c != ' ' && c != '-' && c != '.' && c != '/') {
                break;
            }
            if (after < n && s.charAt(after) == '(' && sp != ')' && after + 1 < n && isDigit(s.charAt(after + 1))) {
                openParen = true;
                after++;
                sp = '(';
            }
            if (after < n && isDigit(s.charAt(after))) {
                sep[k - 1] = sp;
                j = after;
            } else {
                break;
            }
        }
        int end = ge[k - 1];
        // glued to a word (e.g. 123abc): drop the last group
        if (end < n && (isLetter(s.charAt(end)) || s.charAt(end) == '_')) {
            boolean ext = (s.charAt(end) == 'x' || s.charAt(end) == 'X') && end + 1 < n && isDigit(s.charAt(end + 1));
            if (!ext) {
                if (k == 1) {
                    return skipWord(s, end);
                }
                k--;
                end = ge[k - 1];
            }
        }
        analyse(s, start, plus, paren, gs, ge, sep, k, out);
        return end;
    }

    /** The decimal value of the digits in [from, to) (at most 9 digits). */
    private static int num(String s, int from, int to) {
        int v = 0;
        for (int q = from; q < to; q++) {
            v = v * 10 + (s.charAt(q) - '0');
        }
        return v;
    }

    private static int skipWord(String s, int j) {
        while (j < s.length() && (isAlnum(s.charAt(j)) || s.charAt(j) == '_')) {
            j++;
        }
        return j;
    }

    private void analyse(String s, int start, boolean plus, boolean paren, int[] gs, int[] ge, char[] sep, int k,
                         List<PiiSpan> out) {
        // card-shaped: uniform space/dash separators, groups of 4 (or 4-6-4/5), or one run; 12 to 19 digits
        if (!plus && !paren && cardShaped(gs, ge, sep, k)) {
            String digits = digitsOf(s, gs[0], ge[k - 1]);
            // grouped like a card: any issuer range; one bare run: a known issuer range (bare order numbers and
            // phone numbers pass Luhn one time in ten)
            boolean issuer = k > 1 ? digits.charAt(0) != '0' && !ibanHeadBefore(s, gs[0])
                    : Checksums.cardPrefix(digits);
            if (issuer && Checksums.luhn(digits, 0, digits.length())) {
                if (card) {
                    out.add(new PiiSpan(EntityType.CREDIT_CARD, gs[0], ge[k - 1], 1.0));
                }
                return;
            }
            if (k > 1 || digits.length() > 15) {
                return; // a Luhn-invalid card-shaped number is nothing
            }
            // a bare run of 12 to 15 digits that is no card may still be a phone number
        }
        int g = 0;
        while (g < k) {
            int matched = -1;
            for (int e = k - 1; e >= g && matched < 0; e--) {
                if (e < k - 1 && sep[e] != ' ') {
                    continue; // only split a cluster at spaces
                }
                matched = classify(s, g == 0 ? start : gs[g], g == 0 && plus, g == 0 && paren, gs, ge, sep, g, e,
                        e == k - 1, out) ? e : -1;
            }
            g = matched >= 0 ? matched + 1 : g + 1;
            while (matched < 0 && g < k && sep[g - 1] != ' ') {
                g++; // a failed start swallows its non-space-joined followers
            }
        }
    }

    private static boolean cardShaped(int[] gs, int[] ge, char[] sep, int k) {
        int digits = 0;
        for (int q = 0; q < k; q++) {
            digits += ge[q] - gs[q];
        }
        if (digits < 12 || digits > 19) {
            return false;
        }
        if (k == 1) {
            return true;
        }
        char c = sep[0];
        if (c != ' ' && c != '-') {
            return false;
        }
        for (int q = 0; q < k - 1; q++) {
            if (sep[q] != c) {
                return false;
            }
        }
        if (k == 3 && ge[0] - gs[0] == 4 && ge[1] - gs[1] == 6 && ge[2] - gs[2] >= 4 && ge[2] - gs[2] <= 5) {
            return true;
        }
        for (int q = 0; q < k; q++) {
            int len = ge[q] - gs[q];
            if (q < k - 1 ? len != 4 : len < 1 || len > 4) {
                return false;
            }
        }
        return true;
    }

    /** Classifies groups [g, e]; reports and returns true when they form an entity (or a date). */
    private boolean classify(String s, int start, boolean plus, boolean paren, int[] gs, int[] ge, char[] sep,
                             int g, int e, boolean last, List<PiiSpan> out) {
        int groups = e - g + 1;
        int digits = 0;
        boolean allDash = true;
        boolean allDot = true;
        boolean allSpace = true;
        boolean slash = false;
        boolean dot = false;
        boolean other = false;
        int ones = 0;
        for (int q = g; q <= e; q++) {
            int len = ge[q] - gs[q];
            digits += len;
            if (len == 1) {
                ones++;
            }
            if (q < e) {
                char c = sep[q];
                allDash &= c == '-';
                allDot &= c == '.';
                allSpace &= c == ' ';
                slash |= c == '/';
                dot |= c == '.';
                other |= c != '.';
            }
        }
        int end = ge[e];
        // single unseparated run
        if (groups == 1) {
            if (digits >= 16 && digits <= 19) {
                return false; // handled as card-shaped already
            }
            if (digits == 9 && !plus && contextBefore(s, start, 40, SSN_WORDS)) {
                int a = num(s, gs[g], gs[g] + 3);
                int b = num(s, gs[g] + 3, gs[g] + 5);
                int c = num(s, gs[g] + 5, ge[g]);
                if (Checksums.ssnParts(a, b, c)) {
                    if (ssn) {
                        out.add(new PiiSpan(EntityType.US_SSN, gs[g], end, 0.8));
                    }
                    return true;
                }
            }
            if (digits >= 7 && digits <= 15 && (plus || contextBefore(s, start, 30, PHONE_WORDS))) {
                end = extension(s, end, last);
                if (phone) {
                    out.add(new PiiSpan(EntityType.PHONE, start, end, plus ? 0.9 : 0.7));
                }
                return true;
            }
            return false;
        }
        // SSN 123-45-6789 / 123 45 6789
        if (groups == 3 && (allDash || allSpace) && ge[g] - gs[g] == 3 && ge[g + 1] - gs[g + 1] == 2
                && ge[g + 2] - gs[g + 2] == 4 && !plus && !paren) {
            int a = num(s, gs[g], ge[g]);
            int b = num(s, gs[g + 1], ge[g + 1]);
            int c = num(s, gs[g + 2], ge[g + 2]);
            if (Checksums.ssnParts(a, b, c) && (allDash || contextBefore(s, start, 40, SSN_WORDS))) {
                if (ssn) {
                    out.add(new PiiSpan(EntityType.US_SSN, gs[g], end, allDash ? 1.0 : 0.8));
                }
                return true;
            }
            if (allDash) {
                return true; // SSN-shaped but not issued: not a phone either
            }
        }
        // IPv4
        if (groups == 4 && allDot && !plus && !paren) {
            boolean ok = true;
            for (int q = g; q <= e && ok; q++) {
                int len = ge[q] - gs[q];
                ok = len <= 3 && num(s, gs[q], ge[q]) <= 255;
            }
            if (ok) {
                if (ip) {
                    out.add(new PiiSpan(EntityType.IP_ADDRESS, gs[g], end, 1.0));
                }
                return true;
            }
        }
        // French national format 01.23.45.67.89 (also with dashes or spaces: five pairs, a leading 0)
        if (groups == 5 && digits == 10 && (allDot || allDash || allSpace) && s.charAt(gs[g]) == '0') {
            boolean pairs = true;
            for (int q = g; q <= e && pairs; q++) {
                pairs = ge[q] - gs[q] == 2;
            }
            if (pairs) {
                end = extension(s, end, last);
                if (phone) {
                    out.add(new PiiSpan(EntityType.PHONE, start, end, 0.85));
                }
                return true;
            }
        }
        if (allDot && groups >= 3 && digits <= 12 && !plus && !paren && groups != 3) {
            return true; // version numbers and the like
        }
        // dates: consumed without a hit (a birth keyword reports them separately)
        if (groups == 3 && !plus && !paren && (allDash || allDot || (slash && sep[g] == sep[g + 1]))) {
            int[] p = new int[3];
            int[] l = new int[3];
            for (int q = 0; q < 3; q++) {
                l[q] = ge[g + q] - gs[g + q];
                p[q] = l[q] > 4 ? -1 : num(s, gs[g + q], ge[g + q]);
            }
            if (isDate(p, l)) {
                return true;
            }
        }
        if (slash || (groups > 3 && datePrefix(s, gs, ge, sep, g))) {
            return false;
        }
        // phone
        if (digits < 7 || digits > 15 || (dot && other && !paren)) {
            return false;
        }
        if (ones * 2 > groups) {
            return false;
        }
        int first = ge[g] - gs[g];
        if (first > 4 && !plus) {
            return false;
        }
        if (!plus && !paren && ge[e] - gs[e] < 2) {
            return false;
        }
        // "370 3911 Fourth Avenue": space-joined numbers before a capitalised word are a house number and more,
        // unless a phone word comes first
        if (allSpace && !plus && !paren && capitalisedWordAfter(s, end)
                && !contextBefore(s, start, 30, PHONE_WORDS)) {
            return false;
        }
        end = extension(s, end, last);
        if (phone) {
            out.add(new PiiSpan(EntityType.PHONE, start, end, plus || paren ? 0.9 : 0.8));
        }
        return true;
    }

    /** Whether "XX00 " (an IBAN's country and check digits) ends at {@code i}: the rest of a failed IBAN. */
    private static boolean ibanHeadBefore(String s, int i) {
        return i >= 5 && s.charAt(i - 1) == ' ' && isDigit(s.charAt(i - 2)) && isDigit(s.charAt(i - 3))
                && isAsciiLetter(s.charAt(i - 4)) && isAsciiLetter(s.charAt(i - 5))
                && (i == 5 || !isAlnum(s.charAt(i - 6)));
    }

    private static boolean capitalisedWordAfter(String s, int end) {
        int j = end;
        if (j >= s.length() || s.charAt(j) != ' ') {
            return false;
        }
        j++;
        return j + 1 < s.length() && Character.isUpperCase(s.charAt(j)) && Character.isLetter(s.charAt(j + 1));
    }

    private static boolean datePrefix(String s, int[] gs, int[] ge, char[] sep, int g) {
        if (sep[g] != sep[g + 1] || "-./".indexOf(sep[g]) < 0) {
            return false;
        }
        int[] p = new int[3];
        int[] l = new int[3];
        for (int q = 0; q < 3; q++) {
            l[q] = ge[g + q] - gs[g + q];
            p[q] = l[q] > 4 ? -1 : num(s, gs[g + q], ge[g + q]);
        }
        return isDate(p, l);
    }

    /** Extends a phone over a following extension ({@code x123}, {@code ext. 123}). */
    private static int extension(String s, int end, boolean last) {
        if (!last) {
            return end;
        }
        int n = s.length();
        int j = end;
        if (j < n && s.charAt(j) == ' ') {
            j++;
        }
        if (j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X')) {
            j++;
        } else if (s.regionMatches(true, j, "ext", 0, 3)) {
            j += 3;
            if (j < n && s.charAt(j) == '.') {
                j++;
            }
            if (j < n && s.charAt(j) == ' ') {
                j++;
            }
        } else {
            return end;
        }
        int st = j;
        while (j < n && isDigit(s.charAt(j)) && j - st < 6) {
            j++;
        }
        if (j == st || (j < n && isAlnum(s.charAt(j)))) {
            return end;
        }
        return j;
    }

    private static boolean contextBefore(String s, int start, int window, String[] words) {
        int from = Math.max(0, start - window);
        String w = s.substring(from, start);
        for (String word : words) {
            int len = word.length();
            for (int q = w.length() - len; q >= 0; q--) {
                if (w.regionMatches(true, q, word, 0, len)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String digitsOf(String s, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int q = from; q < to; q++) {
            char c = s.charAt(q);
            if (isDigit(c)) {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ character classes

    private static int dots(String s, int from, int to) {
        int d = 0;
        for (int q = from; q < to; q++) {
            if (s.charAt(q) == '.') {
                d++;
            }
        }
        return d;
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int q = from; q < to; q++) {
            if (isDigit(s.charAt(q))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetter(String s, int from, int to) {
        for (int q = from; q < to; q++) {
            if (isLetter(s.charAt(q))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code w} (lower case) starts at {@code i}, ignoring case; checks three characters before the call. */
    private static boolean startsWithWord(String s, int i, String w) {
        int len = w.length();
        if (i + len > s.length()) {
            return false;
        }
        for (int k = 0; k < Math.min(3, len); k++) {
            char c = s.charAt(i + k);
            if (c != w.charAt(k) && Character.toLowerCase(c) != w.charAt(k)) {
                return false;
            }
        }
        return len <= 3 || s.regionMatches(true, i + 3, w, 3, len - 3);
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c > 127 && Character.isLetter(c));
    }

    static boolean isAlnum(char c) {
        return isDigit(c) || isLetter(c);
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isLocalChar(char c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && "\"'`<>,;()[]{}".indexOf(c) < 0;
    }
}
