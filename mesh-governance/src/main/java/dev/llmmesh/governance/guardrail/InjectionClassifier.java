package dev.llmmesh.governance.guardrail;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A prompt-injection classifier: logistic regression over hashed character 1- to 5-grams and word uni-/bigrams
 * ({@code InjectionFeatures}), so it reads any language written in an alphabet and has no word list. Long texts are
 * scored in overlapping windows of 512 characters and the highest window counts, so an instruction buried in a
 * long document is not averaged away.
 *
 * <p>The built-in model ({@link #builtIn()}, about 250 KB in the jar) was trained on public jailbreak and
 * injection prompts (English), hand-written attacks in English, German, French and Spanish, and benign prompts in
 * the same four languages, including benign texts that use trigger words ("ignore the noise in this recording").
 * Its scores are shifted so that {@link #OPERATING_POINT} (0.8, the default injection threshold of a policy) is the
 * threshold chosen on a held-out split of that data for a false-positive rate of at most 5%. The data, its sources and
 * licences, and the command that retrains the model are described in docs/governance.md.
 *
 * <p>Immutable and thread-safe; scoring allocates one normalised copy of the text (at most 20,000 characters are
 * read).
 */
public final class InjectionClassifier {
    /** The score at and above which the built-in model calls a text an injection (the calibrated threshold). */
    public static final double OPERATING_POINT = 0.8;
    static final int MAGIC = 0x4C4D4943; // "LMIC"
    static final int VERSION = 1;
    static final int MAX_CHARS = 20_000;
    static final String RESOURCE = "injection-classifier.bin";
    private static final List<String> SIGNAL = List.of("classifier");

    private final int mask;
    private final int window;
    private final int stride;
    private final float bias;
    private final float[] weights;

    InjectionClassifier(int bits, int window, int stride, float bias, float[] weights) {
        if (weights.length != 1 << bits) {
            throw new IllegalArgumentException("expected " + (1 << bits) + " weights, got " + weights.length);
        }
        this.mask = (1 << bits) - 1;
        this.window = window;
        this.stride = stride;
        this.bias = bias;
        this.weights = weights;
    }

    /** The model shipped in this jar (loaded once). */
    public static InjectionClassifier builtIn() {
        return Holder.BUILT_IN;
    }

    /**
     * Reads a model written by the trainer (gzip; magic, version, hash bits, window, stride, bias, scale, then one
     * 16-bit quantised weight per bucket).
     *
     * @throws UncheckedIOException if the stream cannot be read or is no model of this version
     */
    public static InjectionClassifier load(InputStream in) {
        Objects.requireNonNull(in, "in");
        try (DataInputStream d = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)))) {
            if (d.readInt() != MAGIC || d.readInt() != VERSION) {
                throw new IOException("not an injection classifier model of version " + VERSION);
            }
            int bits = d.readInt();
            if (bits < 8 || bits > 24) {
                throw new IOException("bad hash size 2^" + bits);
            }
            int window = d.readInt();
            int stride = d.readInt();
            float bias = d.readFloat();
            float scale = d.readFloat();
            float[] w = new float[1 << bits];
            for (int i = 0; i < w.length; i++) {
                w[i] = d.readShort() * scale;
            }
            return new InjectionClassifier(bits, window, stride, bias, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the injection classifier model: " + e.getMessage(), e);
        }
    }

    /** The injection score of {@code text} in [0, 1]: {@link #OPERATING_POINT} and above is an injection. */
    public double score(String text) {
        Objects.requireNonNull(text, "text");
        char[] c = InjectionFeatures.normalise(text, MAX_CHARS);
        if (c.length == 0) {
            return sigmoid(bias);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int start : InjectionFeatures.windowStarts(c.length, window, stride)) {
            best = Math.max(best, logit(c, start, Math.min(c.length, start + window)));
        }
        return sigmoid(best);
    }

    /** As {@link #score}, in the form of the keyword detector's assessment (signal {@code classifier}). */
    public PromptInjectionDetector.Assessment assess(String text) {
        double s = score(text);
        return new PromptInjectionDetector.Assessment(s, s >= OPERATING_POINT ? SIGNAL : List.of());
    }

    double logit(char[] c, int from, int to) {
        InjectionFeatures.Vector v = InjectionFeatures.vector(c, from, to, mask);
        int[] b = v.buckets();
        float[] x = v.values();
        double z = bias;
        for (int i = 0; i < b.length; i++) {
            z += weights[b[i]] * x[i];
        }
        return z;
    }

    int window() {
        return window;
    }

    int stride() {
        return stride;
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static final class Holder {
        static final InjectionClassifier BUILT_IN = loadBuiltIn();

        private static InjectionClassifier loadBuiltIn() {
            InputStream in = InjectionClassifier.class.getResourceAsStream(RESOURCE);
            if (in == null) {
                throw new IllegalStateException("the injection classifier model " + RESOURCE + " is missing from "
                        + "the mesh-governance jar");
            }
            return load(in);
        }
    }
}
