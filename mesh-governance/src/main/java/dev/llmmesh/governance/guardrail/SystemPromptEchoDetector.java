package dev.llmmesh.governance.guardrail;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Finds a verbatim echo of a system prompt in an answer: any run of at least {@code minChars} characters that also
 * occurs in one of the system prompts. Uses a rolling hash over every {@code minChars}-window of the prompts (checked
 * by comparison on a hash hit), so the cost is linear in prompt plus answer. Immutable and thread-safe: build one per
 * set of system prompts and reuse it (the mesh keeps one per prompt set it has seen). {@link #window()} gives a
 * streaming checker that keeps only the last {@code minChars - 1} characters.
 */
public final class SystemPromptEchoDetector {
    private static final long BASE = 1_000_003L;

    private final List<String> prompts;
    private final int minChars;
    private final long pow;
    // an open-addressing table from window hash to a chain of (prompt, offset) entries: no boxing per look-up
    private final long[] keys;
    private final int[] heads;
    private final int mask;
    private final int[] entryPrompt;
    private final int[] entryOffset;
    private final int[] entryNext;
    private final int entries;

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
        int windows = 0;
        for (String s : prompts) {
            windows += Math.max(0, s.length() - minChars + 1);
        }
        int size = Integer.highestOneBit(Math.max(2, windows * 2 - 1)) << 1;
        this.keys = new long[windows == 0 ? 0 : size];
        this.heads = new int[windows == 0 ? 0 : size];
        Arrays.fill(heads, -1);
        this.mask = size - 1;
        this.entryPrompt = new int[windows];
        this.entryOffset = new int[windows];
        this.entryNext = new int[windows];
        int n = 0;
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
                    int slot = slot(h);
                    if (heads[slot] < 0) {
                        keys[slot] = h;
                    }
                    entryPrompt[n] = k;
                    entryOffset[n] = i - minChars + 1;
                    entryNext[n] = heads[slot];
                    heads[slot] = n;
                    n++;
                }
            }
        }
        this.entries = n;
    }

    /** The slot of hash {@code h}: its own, or the first free one after it (linear probing). */
    private int slot(long h) {
        int i = (int) (mix(h) & mask);
        while (heads[i] >= 0 && keys[i] != h) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static long mix(long h) {
        long x = h * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
    }

    /** Whether there is anything to find (some prompt has at least {@code minChars} characters). */
    public boolean active() {
        return entries > 0;
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
        if (entries == 0 || text.length() < minChars) {
            return -1;
        }
        long h = 0;
        for (int i = 0; i < text.length(); i++) {
            if (i >= minChars) {
                h -= text.charAt(i - minChars) * pow;
            }
            h = h * BASE + text.charAt(i);
            if (i >= minChars - 1) {
                int e = heads[slot(h)];
                if (e >= 0) {
                    int start = i - minChars + 1;
                    for (; e >= 0; e = entryNext[e]) {
                        if (regionEquals(text, start, prompts.get(entryPrompt[e]), entryOffset[e], minChars)) {
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
            if (echoed || entries == 0) {
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
