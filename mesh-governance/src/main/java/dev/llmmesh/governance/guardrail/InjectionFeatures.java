package dev.llmmesh.governance.guardrail;

/**
 * The feature map of {@link InjectionClassifier}: hashed character 1- to 5-grams and word uni- and bigrams of the
 * normalised text (lower case, digits as {@code 0}, whitespace runs as one space), each signed by a hash bit, all of
 * one text. Language-neutral by
 * construction: nothing in it knows a word of any language. A text's vector holds, per bucket, the sum of the signs
 * of its features there, scaled to unit length ({@link #vector}). Shared by the classifier and its trainer.
 */
final class InjectionFeatures {
    /** Receives one feature: its bucket and sign. */
    interface Sink {
        void accept(int bucket, float sign);
    }

    private static final int FNV = 0x811C9DC5;
    private static final int PRIME = 16777619;

    private InjectionFeatures() {
    }

    /** Lower case, digits folded to '0', whitespace and control runs collapsed to one space, trimmed. */
    static char[] normalise(String text, int maxChars) {
        int n = Math.min(text.length(), maxChars);
        char[] out = new char[n];
        int len = 0;
        boolean space = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u00a0') {
                if (!space) {
                    out[len++] = ' ';
                    space = true;
                }
                continue;
            }
            space = false;
            if (c >= '0' && c <= '9') {
                c = '0';
            } else if (c < 128) {
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + 32);
                }
            } else {
                c = Character.toLowerCase(c);
            }
            out[len++] = c;
        }
        if (len > 0 && out[len - 1] == ' ') {
            len--;
        }
        return len == out.length ? out : java.util.Arrays.copyOf(out, len);
    }

    /**
     * Emits the features of {@code c[from, to)} to {@code sink}.
     *
     * @return the number of features emitted
     */
    static int emit(char[] c, int from, int to, int mask, Sink sink) {
        int count = 0;
        // character n-grams, with the window edges as boundary marks
        for (int i = from - 1; i < to; i++) {
            int h = FNV;
            for (int k = 0; k < 5; k++) {
                int p = i + k;
                if (p > to) {
                    break;
                }
                char ch = p < from || p == to ? '\u0002' : c[p];
                h = (h ^ ch) * PRIME;
                if (k == 0 && p < from) {
                    continue; // the lone boundary mark is no feature
                }
                int m = mix(h);
                sink.accept(m & mask, (m >>> 31) == 0 ? 1f : -1f);
                count++;
            }
        }
        // word unigrams and bigrams
        int prev = 0;
        int i = from;
        while (i < to) {
            while (i < to && !Character.isLetterOrDigit(c[i])) {
                i++;
            }
            if (i >= to) {
                break;
            }
            int w = 0x9747B28C;
            while (i < to && Character.isLetterOrDigit(c[i])) {
                w = (w ^ c[i]) * PRIME;
                i++;
            }
            int m = mix(w ^ 0x5BD1E995);
            sink.accept(m & mask, (m >>> 31) == 0 ? 1f : -1f);
            count++;
            if (prev != 0) {
                int b = mix(prev * 31 + w + 0x27D4EB2F);
                sink.accept(b & mask, (b >>> 31) == 0 ? 1f : -1f);
                count++;
            }
            prev = w;
        }
        return count;
    }

    /** A sparse unit-length feature vector: distinct buckets in ascending order and their values. */
    record Vector(int[] buckets, float[] values) {
    }

    /** The feature vector of {@code c[from, to)}: signs summed per bucket, then scaled to unit length. */
    static Vector vector(char[] c, int from, int to, int mask) {
        // at most 5 character n-grams and 2 word features per position, plus the boundary n-grams
        int[] codes = new int[8 * (to - from) + 16];
        int[] n = {0};
        // bucket in the high bits, sign in the lowest bit: a bucket's features are adjacent once sorted
        emit(c, from, to, mask, (bucket, sign) -> codes[n[0]++] = (bucket << 1) | (sign < 0 ? 1 : 0));
        int len = n[0];
        java.util.Arrays.sort(codes, 0, len);
        int[] buckets = new int[len];
        float[] values = new float[len];
        int k = -1;
        int last = -1;
        for (int i = 0; i < len; i++) {
            int b = codes[i] >>> 1;
            float v = (codes[i] & 1) == 0 ? 1f : -1f;
            if (b != last) {
                buckets[++k] = b;
                values[k] = v;
                last = b;
            } else {
                values[k] += v;
            }
        }
        int distinct = k + 1;
        double norm = 0;
        for (int i = 0; i < distinct; i++) {
            norm += values[i] * values[i];
        }
        int kept = 0;
        float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < distinct; i++) {
            if (values[i] != 0) {
                buckets[kept] = buckets[i];
                values[kept++] = values[i] * scale;
            }
        }
        return new Vector(java.util.Arrays.copyOf(buckets, kept), java.util.Arrays.copyOf(values, kept));
    }

    /** The windows a text of {@code length} chars is scored in: starts, each {@code window} long (the last shorter). */
    static int[] windowStarts(int length, int window, int stride) {
        if (length <= window) {
            return new int[] {0};
        }
        int n = (length - window + stride - 1) / stride + 1;
        int[] starts = new int[n];
        for (int k = 0; k < n; k++) {
            starts[k] = Math.min(k * stride, length - window);
        }
        return starts;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
