package dev.llmmesh.governance.pii;

import dev.llmmesh.intercept.StreamTransformer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The way back from pseudonyms, for one call: which placeholder stands for which original value, and where each
 * value was found ({@link PiiSource}). Placeholders carry a random tag drawn per vault ({@code <EMAIL_1_k7q2mx9d>}),
 * so they differ on every call and cannot be guessed or typed in advance; the model still reads the type and number.
 * Equal values of one type share a placeholder, and their sources add up; numbers count per type from 1.
 *
 * <p>Restore is selective: the caller says which entries may be put back ({@link #restore(String, Predicate,
 * Consumer)}); a refused placeholder stays in the text as it is and is reported to the caller's consumer. The
 * one-argument {@link #restore(String)} puts back only values found in the caller's own user messages. Matching is
 * exact up to letter case: a look-alike (other spacing, zero padding, another tag) is never restored.
 *
 * <p>A vault lives exactly as long as its call and is never logged: {@link #toString()} shows only how many values it
 * holds. Thread-safe (hedged attempts may share it).
 */
public final class PiiVault {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] TAG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    /** Characters of the random tag: 8 from a 32-letter alphabet, 40 bits. */
    static final int TAG_LENGTH = 8;

    /**
     * A placeholder and what is known about it, never the value.
     *
     * @param placeholder the text the model sees
     * @param type        the entity type
     * @param sources     where the value was found in the request (at least one)
     */
    public record Entry(String placeholder, EntityType type, Set<PiiSource> sources) {
        public Entry {
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(type, "type");
            sources = Set.copyOf(sources);
        }

        /** Whether the caller sent this value itself, in one of its user messages. */
        public boolean fromUser() {
            return sources.contains(PiiSource.USER);
        }
    }

    private final String tag;
    private final Map<String, String> byValue = new HashMap<>();
    private final Map<String, String> byPlaceholder = new HashMap<>();
    private final Map<String, String> canonical = new HashMap<>();
    private final Map<String, EntityType> types = new HashMap<>();
    private final Map<String, EnumSet<PiiSource>> sources = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private int longest;

    /** An empty vault with a fresh random tag. */
    public PiiVault() {
        char[] t = new char[TAG_LENGTH];
        for (int i = 0; i < t.length; i++) {
            t[i] = TAG_ALPHABET[RANDOM.nextInt(TAG_ALPHABET.length)];
        }
        this.tag = new String(t);
    }

    /**
     * The placeholder for {@code value} of {@code type} found in the caller's user messages; as
     * {@link #placeholderFor(EntityType, String, PiiSource)} with {@link PiiSource#USER}.
     */
    public String placeholderFor(EntityType type, String value) {
        return placeholderFor(type, value, PiiSource.USER);
    }

    /**
     * The placeholder for {@code value} of {@code type}, allocating the next number on first use, and records that
     * the value was found in {@code source}.
     */
    public synchronized String placeholderFor(EntityType type, String value, PiiSource source) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        String key = type.name() + '\u0000' + value;
        String existing = byValue.get(key);
        if (existing != null) {
            sources.get(existing).add(source);
            return existing;
        }
        int n = counters.merge(type.name(), 1, Integer::sum);
        String placeholder = "<" + type.name() + "_" + n + "_" + tag + ">";
        byValue.put(key, placeholder);
        byPlaceholder.put(placeholder, value);
        canonical.put(placeholder.toUpperCase(Locale.ROOT), placeholder);
        types.put(placeholder, type);
        sources.put(placeholder, EnumSet.of(source));
        longest = Math.max(longest, placeholder.length());
        return placeholder;
    }

    /** How many distinct values have a placeholder. */
    public synchronized int size() {
        return byPlaceholder.size();
    }

    /** The length of the longest placeholder handed out so far (0 when none). */
    public synchronized int longestPlaceholder() {
        return longest;
    }

    /** What is known about {@code placeholder} (exact up to letter case), if it is one of this vault's. */
    public synchronized Optional<Entry> entry(String placeholder) {
        String p = canonical.get(placeholder.toUpperCase(Locale.ROOT));
        return p == null ? Optional.empty() : Optional.of(new Entry(p, types.get(p), sources.get(p)));
    }

    /** {@code text} with the placeholders of values the caller sent in its own user messages put back. */
    public String restore(String text) {
        return restore(text, Entry::fromUser, e -> { });
    }

    /**
     * {@code text} with every placeholder of this vault that {@code allowed} accepts replaced by its original value;
     * each refused one stays as it is and is passed to {@code refused} (once per occurrence).
     */
    public String restore(String text, Predicate<Entry> allowed, Consumer<Entry> refused) {
        return restore(text, false, allowed, refused);
    }

    /**
     * As {@link #restore(String, Predicate, Consumer)}, escaping the originals for a JSON string literal (for
     * tool-call arguments, where a placeholder sits inside a JSON string).
     */
    public String restoreInJson(String text, Predicate<Entry> allowed, Consumer<Entry> refused) {
        return restore(text, true, allowed, refused);
    }

    private String restore(String text, boolean json, Predicate<Entry> allowed, Consumer<Entry> refused) {
        Objects.requireNonNull(text, "text");
        int lt = text.indexOf('<');
        if (lt < 0) {
            return text;
        }
        List<Entry> refusals = new ArrayList<>();
        String out;
        synchronized (this) {
            if (byPlaceholder.isEmpty()) {
                return text;
            }
            StringBuilder b = new StringBuilder(text.length() + 32);
            int copied = 0;
            while (lt >= 0) {
                int gt = text.indexOf('>', lt + 1);
                if (gt < 0) {
                    break;
                }
                if (gt - lt < longest) {
                    String p = canonical.get(text.substring(lt, gt + 1).toUpperCase(Locale.ROOT));
                    if (p != null) {
                        Entry e = new Entry(p, types.get(p), sources.get(p));
                        if (allowed.test(e)) {
                            String original = byPlaceholder.get(p);
                            b.append(text, copied, lt).append(json ? jsonEscape(original) : original);
                            copied = gt + 1;
                        } else {
                            refusals.add(e);
                        }
                        lt = text.indexOf('<', gt + 1);
                        continue;
                    }
                }
                lt = text.indexOf('<', lt + 1);
            }
            out = copied == 0 ? text : b.append(text, copied, text.length()).toString();
        }
        refusals.forEach(refused);
        return out;
    }

    /** Whether {@code tail} (which starts with {@code <}) could still grow into one of this vault's placeholders. */
    synchronized boolean couldBecomePlaceholder(CharSequence tail) {
        if (tail.length() >= longest) {
            return false;
        }
        String t = tail.toString().toUpperCase(Locale.ROOT);
        for (String p : canonical.keySet()) {
            if (p.startsWith(t)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #restoringTransformer(Predicate, Consumer)}, putting back only values from the caller's user messages. */
    public StreamTransformer restoringTransformer() {
        return restoringTransformer(Entry::fromUser, e -> { });
    }

    /**
     * A transformer that restores placeholders in streamed text, also when a placeholder is split across chunks
     * (down to one character per chunk). It holds back only a trailing {@code <...} that is still the start of one of
     * this vault's placeholders (never more than the longest placeholder less one character), so text that cannot
     * become a placeholder is emitted at once. One instance per stream.
     */
    public StreamTransformer restoringTransformer(Predicate<Entry> allowed, Consumer<Entry> refused) {
        return new StreamTransformer() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public String onPartial(String text) {
                pending.append(text);
                int hold = pending.length();
                int lt = pending.lastIndexOf("<");
                if (lt >= 0 && pending.indexOf(">", lt) < 0
                        && couldBecomePlaceholder(pending.subSequence(lt, pending.length()))) {
                    hold = lt;
                }
                String ready = pending.substring(0, hold);
                pending.delete(0, hold);
                return restore(ready, allowed, refused);
            }

            @Override
            public String flush() {
                String rest = pending.toString();
                pending.setLength(0);
                return restore(rest, allowed, refused);
            }
        };
    }

    /** Placeholders currently held, for tests and diagnostics (no values). */
    public synchronized List<String> placeholders() {
        List<String> list = new ArrayList<>(byPlaceholder.keySet());
        list.sort(null);
        return List.copyOf(list);
    }

    @Override
    public synchronized String toString() {
        return "PiiVault{" + byPlaceholder.size() + " value(s)}";
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
