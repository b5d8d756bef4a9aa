package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiDetector;
import dev.llmmesh.governance.pii.PiiSpan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A dictionary-based person-name detector: first names from a dictionary (capitalised, or lower case when the word
 * is not also a common word), extended over a following surname, plus any name after a title or "my name is".
 * Immutable and thread-safe.
 */
public final class PersonNameDetector implements PiiDetector {
    private static final Set<String> TITLES = Set.of("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx",
            "mister");
    /** Names that are also common English words: only taken when capitalised mid-sentence or followed by a surname. */
    private static final Set<String> AMBIGUOUS = Set.of("will", "may", "mark", "grace", "bill", "rose", "june",
            "april", "august", "amber", "joy", "hope", "faith", "ruby", "lily", "iris", "daisy", "violet", "max",
            "jack", "frank", "dawn", "ray", "sam", "tim", "tom", "jan", "kim", "art", "eli", "ali", "ian", "jean",
            "kai", "ana", "ada", "robin", "morgan", "jordan", "austin", "harper", "chris", "joe", "dan", "ken",
            "pat", "sue", "lewis", "miles", "mila", "nora", "paul", "luke", "gary", "norma", "stella", "bruce",
            "victoria", "georgia", "florian", "maya", "mia", "eva", "vera", "lena", "rita", "aurora", "elif",
            "chen", "wang", "liu", "wei", "hana", "noel", "rene", "sasha", "otto", "sven", "yara");
    private static final Set<String> STOP = Set.of("a", "an", "and", "or", "but", "is", "was", "are", "were", "be",
            "has", "had", "have", "the", "to", "from", "at", "in", "on", "with", "of", "for", "said", "says", "will",
            "would", "can", "could", "should", "my", "your", "his", "her", "their", "our", "this", "that", "it",
            "i", "you", "he", "she", "we", "they", "not", "no", "yes", "if", "so", "as", "by", "about", "please",
            "who", "what", "when", "where", "why", "how", "street", "road", "avenue", "st", "rd", "ave", "lane",
            "drive", "suite", "apt", "inc", "ltd", "llc", "corp", "company", "bank", "hospital", "university");

    private final Set<String> names;

    public PersonNameDetector(Set<String> firstNames) {
        Set<String> lower = new HashSet<>();
        for (String n : firstNames) {
            String t = n.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                lower.add(t);
            }
        }
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("the first-name dictionary is empty");
        }
        this.names = Set.copyOf(lower);
    }

    /** A detector over the bundled dictionary ({@code first-names.txt}). */
    public static PersonNameDetector withDefaultDictionary() {
        Set<String> words = new HashSet<>();
        try (InputStream in = PersonNameDetector.class.getResourceAsStream("first-names.txt")) {
            if (in == null) {
                throw new IllegalStateException("first-names.txt is missing from the mesh-governance jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#")) {
                    continue;
                }
                for (String w : line.trim().split("\\s+")) {
                    if (!w.isEmpty()) {
                        words.add(w);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read first-names.txt", e);
        }
        return new PersonNameDetector(words);
    }

    @Override
    public Set<EntityType> types() {
        return Set.of(EntityType.PERSON);
    }

    @Override
    public List<PiiSpan> detect(CharSequence text) {
        String s = text.toString();
        List<int[]> words = words(s);
        List<PiiSpan> out = new ArrayList<>();
        int w = 0;
        while (w < words.size()) {
            int[] cur = words.get(w);
            String lower = s.substring(cur[0], cur[1]).toLowerCase(Locale.ROOT);
            int cueNext = -1;
            if (TITLES.contains(lower) && w + 1 < words.size() && near(s, cur, words.get(w + 1), 3)) {
                cueNext = w + 1;
            } else if (lower.equals("name") && w + 1 < words.size()) {
                String next = word(s, words.get(w + 1));
                if (next.equalsIgnoreCase("is") && w + 2 < words.size()) {
                    cueNext = w + 2;
                } else if (s.substring(cur[1], words.get(w + 1)[0]).contains(":")) {
                    cueNext = w + 1;
                }
            }
            if (cueNext >= 0) {
                int taken = nameAt(s, words, cueNext, true);
                if (taken > 0) {
                    int last = cueNext + taken - 1;
                    out.add(new PiiSpan(EntityType.PERSON, words.get(cueNext)[0], words.get(last)[1], 0.85));
                    w = last + 1;
                    continue;
                }
            } else if (names.contains(lower)) {
                boolean capital = Character.isUpperCase(s.charAt(cur[0]));
                boolean sentenceStart = sentenceStart(s, cur[0]);
                boolean surname = w + 1 < words.size() && surname(s, words.get(w + 1), capital)
                        && near(s, cur, words.get(w + 1), 1);
                boolean ambiguous = AMBIGUOUS.contains(lower);
                boolean take = capital ? !ambiguous || surname || !sentenceStart : !ambiguous;
                if (take) {
                    int end = surname ? words.get(w + 1)[1] : cur[1];
                    out.add(new PiiSpan(EntityType.PERSON, cur[0], end, surname ? 0.8 : 0.6));
                    w += surname ? 2 : 1;
                    continue;
                }
            }
            w++;
        }
        return out;
    }

    /** How many words (1 or 2) starting at {@code k} form a name after a cue; 0 if none. */
    private int nameAt(String s, List<int[]> words, int k, boolean anyCase) {
        if (k >= words.size()) {
            return 0;
        }
        String first = word(s, words.get(k));
        if (STOP.contains(first.toLowerCase(Locale.ROOT)) || (!anyCase && !Character.isUpperCase(first.charAt(0)))) {
            return 0;
        }
        if (k + 1 < words.size() && near(s, words.get(k), words.get(k + 1), 1)
                && surname(s, words.get(k + 1), Character.isUpperCase(first.charAt(0)))) {
            return 2;
        }
        return 1;
    }

    private static boolean surname(String s, int[] w, boolean capitalFirst) {
        String t = s.substring(w[0], w[1]);
        if (t.length() < 2 || STOP.contains(t.toLowerCase(Locale.ROOT))) {
            return false;
        }
        boolean upper = Character.isUpperCase(t.charAt(0));
        return capitalFirst ? upper : !upper || t.length() > 2;
    }

    private static String word(String s, int[] w) {
        return s.substring(w[0], w[1]);
    }

    /** Whether {@code b} follows {@code a} with at most {@code maxGap} separator characters and no line break. */
    private static boolean near(String s, int[] a, int[] b, int maxGap) {
        int gap = b[0] - a[1];
        if (gap > maxGap + 1) {
            return false;
        }
        for (int i = a[1]; i < b[0]; i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == ',' || c == ';' || c == ':' && maxGap < 2) {
                return false;
            }
        }
        return true;
    }

    private static boolean sentenceStart(String s, int start) {
        for (int i = start - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '.' || c == '!' || c == '?' || c == '"' || c == ':';
            }
        }
        return true;
    }

    private static List<int[]> words(String s) {
        List<int[]> out = new ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetter(s.charAt(i))) {
                i++;
            }
            int st = i;
            while (i < n && (Character.isLetter(s.charAt(i))
                    || ((s.charAt(i) == '\'' || s.charAt(i) == '-') && i + 1 < n && Character.isLetter(s.charAt(i + 1))
                    && i > st))) {
                i++;
            }
            if (i > st) {
                out.add(new int[] {st, i});
            }
        }
        return out;
    }
}
