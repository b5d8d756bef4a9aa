package dev.llmmesh.governance.guardrail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds a verbatim echo of a system prompt in an answer: any run of at least {@code minChars} characters that also
 * occurs in one of the system prompts. Uses a rolling hash over every {@code minChars}-window of the prompts (checked
 * by comparison on a hash hit), so the cost is linear in prompt plus answer. Immutable and thread-safe; one instance
 * per call. {@link #window()} gives a streaming checker that keeps only the last {@code minChars - 1} characters.
 */
public final class SystemPromptEchoDetector {
    private static final long BASE = 1_000_003L;

    private final List<String> prompts;
    private final int minChars;
    private final long pow;
    private final Map<Long, List<int[]>> windows = new HashMap<>();

    /**
     * @throws IllegalArgumentException if {@code minChars < 8}
     */
    public SystemPromptEchoDetector(List<String> systemPrompts, int minChars) {
        if (minChars < 8) {
            throw new IllegalArgumentException("minChars must be >= 8, got " + minChars);
        }
        this.prompts = List.copyOf(systemPrompts);
        this.minChars = minChars;
        long p = 1;
        for (int i = 1; i < minChars; i++) {
            p *= BASE;
        }
        this.pow = p;
        for (int k = 0; k < prompts.size(); k++) {
            String s = prompts.get(k);
            if (s.length() < minChars) {
                continue;
            }
            long h = 0;
            for (int i = 0; i < s.length(); i++) {
                if (i >= minChars) {
                    h -= s.charAt(i - minChars) * pow;
                }
                h = h * BASE + s.charAt(i);
                if (i >= minChars - 1) {
                    windows.computeIfAbsent(h, x -> new ArrayList<>(1)).add(new int[] {k, i - minChars + 1});
                }
            }
        }
    }

    /** Whether there is anything to find (some prompt has at least {@code minChars} characters). */
    public boolean active() {
        return !windows.isEmpty();
    }

    /** The length of the shortest echo reported. */
    public int minChars() {
        return minChars;
    }

    /** Whether {@code text} contains {@code minChars} or more consecutive characters of a system prompt. */
    public boolean echoedIn(String text) {
        Objects.requireNonNull(text, "text");
        return find(text) >= 0;
    }

    /** The offset in {@code text} of the first echoed window, or -1. */
    int find(CharSequence text) {
        if (windows.isEmpty() || text.length() < minChars) {
            return -1;
        }
        long h = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i >= minChars) {
                h -= text.charAt(i - minChars) * pow;
            }
            h = h * BASE + text.charAt(i);
            if (i >= minChars - 1) {
                List<int[]> hits = windows.get(h);
                if (hits != null) {
                    int start = i - minChars + 1;
                    for (int[] hit : hits) {
                        if (regionEquals(text, start, prompts.get(hit[0]), hit[1], minChars)) {
                            return start;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private static boolean regionEquals(CharSequence a, int aStart, String b, int bStart, int len) {
        for (int i = 0; i < len; i++) {
            if (a.charAt(aStart + i) != b.charAt(bStart + i)) {
                return false;
            }
        }
        return true;
    }

    /** A streaming checker for one answer: feed chunks in order; not thread-safe. */
    public Window window() {
        return new Window();
    }

    /** Checks streamed text with a sliding window of {@code minChars - 1} characters of carry-over. */
    public final class Window {
        private final StringBuilder carry = new StringBuilder();
        private boolean echoed;

        private Window() {
        }

        /** Adds a chunk; returns whether an echo has been seen so far (sticky). */
        public boolean feed(String chunk) {
            if (echoed || windows.isEmpty()) {
                return echoed;
            }
            carry.append(chunk);
            if (find(carry) >= 0) {
                echoed = true;
            }
            int keep = minChars - 1;
            if (carry.length() > keep) {
                carry.delete(0, carry.length() - keep);
            }
            return echoed;
        }

        public boolean echoed() {
            return echoed;
        }
    }
}
