package dev.llmmesh.governance.pii;

import dev.llmmesh.intercept.StreamTransformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The way back from pseudonyms, for one call: which placeholder ({@code <EMAIL_1>}) stands for which original value.
 * Equal values of one type share a placeholder; numbers count per type from 1. A vault lives exactly as long as its
 * call and is never logged: {@link #toString()} shows only how many values it holds.
 *
 * <p>Thread-safe (hedged attempts may share it).
 */
public final class PiiVault {
    /** Longest placeholder the restorers look for, in characters. */
    static final int MAX_PLACEHOLDER = 48;

    private final Map<String, String> byValue = new HashMap<>();
    private final Map<String, String> byPlaceholder = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /** The placeholder for {@code value} of {@code type}, allocating the next number on first use. */
    public synchronized String placeholderFor(EntityType type, String value) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        String key = type.name() + '\u0000' + value;
        String existing = byValue.get(key);
        if (existing != null) {
            return existing;
        }
        int n = counters.merge(type.name(), 1, Integer::sum);
        String placeholder = "<" + type.name() + "_" + n + ">";
        byValue.put(key, placeholder);
        byPlaceholder.put(placeholder, value);
        return placeholder;
    }

    /** How many distinct values have a placeholder. */
    public synchronized int size() {
        return byPlaceholder.size();
    }

    /** {@code text} with every placeholder of this vault replaced by its original value. */
    public String restore(String text) {
        return restore(text, false);
    }

    /**
     * As {@link #restore(String)}, escaping the originals for a JSON string literal (for tool-call arguments, where
     * a placeholder sits inside a JSON string).
     */
    public String restoreInJson(String text) {
        return restore(text, true);
    }

    private String restore(String text, boolean json) {
        Objects.requireNonNull(text, "text");
        int lt = text.indexOf('<');
        if (lt < 0) {
            return text;
        }
        synchronized (this) {
            if (byPlaceholder.isEmpty()) {
                return text;
            }
            StringBuilder out = new StringBuilder(text.length() + 32);
            int copied = 0;
            while (lt >= 0) {
                int gt = text.indexOf('>', lt + 1);
                if (gt < 0) {
                    break;
                }
                if (gt - lt <= MAX_PLACEHOLDER) {
                    String original = lookup(text.substring(lt, gt + 1));
                    if (original != null) {
                        out.append(text, copied, lt).append(json ? jsonEscape(original) : original);
                        copied = gt + 1;
                        lt = text.indexOf('<', gt + 1);
                        continue;
                    }
                }
                lt = text.indexOf('<', lt + 1);
            }
            if (copied == 0) {
                return text;
            }
            return out.append(text, copied, text.length()).toString();
        }
    }

    private String lookup(String candidate) {
        String v = byPlaceholder.get(candidate);
        return v != null ? v : byPlaceholder.get(candidate.toUpperCase(Locale.ROOT));
    }

    /** Whether {@code tail} (which starts with {@code <}) could still grow into one of this vault's placeholders. */
    synchronized boolean couldBecomePlaceholder(CharSequence tail) {
        String t = tail.toString().toUpperCase(Locale.ROOT);
        for (String p : byPlaceholder.keySet()) {
            if (p.startsWith(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A transformer that restores placeholders in streamed text, also when a placeholder is split across chunks
     * (down to one character per chunk): it holds back a trailing {@code <...} for as long as it could still become a
     * placeholder. One instance per stream.
     */
    public StreamTransformer restoringTransformer() {
        return new StreamTransformer() {
            private final StringBuilder pending = new StringBuilder();

            @Override
            public String onPartial(String text) {
                pending.append(text);
                int hold = pending.length();
                int lt = pending.lastIndexOf("<");
                if (lt >= 0 && pending.indexOf(">", lt) < 0 && pending.length() - lt <= MAX_PLACEHOLDER
                        && couldBecomePlaceholder(pending.subSequence(lt, pending.length()))) {
                    hold = lt;
                }
                String ready = pending.substring(0, hold);
                pending.delete(0, hold);
                return restore(ready);
            }

            @Override
            public String flush() {
                String rest = pending.toString();
                pending.setLength(0);
                return restore(rest);
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
