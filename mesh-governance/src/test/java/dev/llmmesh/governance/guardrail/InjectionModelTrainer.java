package dev.llmmesh.governance.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.governance.eval.BinaryMetrics;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Trains the built-in {@link InjectionClassifier} from the dev set in {@code src/test/resources/injection-dev}
 * (see DATA.md there) and writes {@code src/main/resources/dev/llmmesh/governance/guardrail/injection-classifier.bin}.
 * Deterministic: same data, same model, byte for byte.
 *
 * <pre>
 * ./mvnw -B -o -q -pl mesh-governance -am process-test-classes -Ptrain-injection
 * </pre>
 *
 * Records are split by their {@code group} (a hash of it): 4 of 5 groups train, the fifth is held out; the threshold
 * is the lowest one with a false-positive rate of at most {@value #TARGET_FPR} on the held-out split, and the bias
 * is shifted so that it lands on {@link InjectionClassifier#OPERATING_POINT}. Prints held-out figures per language.
 */
public final class InjectionModelTrainer {
    static final int BITS = 17;
    static final int WINDOW = Integer.getInteger("window", 512);
    static final int STRIDE = WINDOW / 2;
    static final double TARGET_FPR = 0.04;
    private static final int EPOCHS = Integer.getInteger("epochs", 12);
    private static final double LEARNING_RATE = 0.3;
    private static final float HANDWRITTEN_WEIGHT = Float.parseFloat(System.getProperty("hw", "4"));
    private static final double L2 = Double.parseDouble(System.getProperty("l2", "2e-6"));

    record Example(String text, boolean label, String lang, String source, String group) {
    }

    private InjectionModelTrainer() {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "src/test/resources/injection-dev/injection-dev.jsonl.gz");
        Path out = Path.of(args.length > 1 ? args[1]
                : "src/main/resources/dev/llmmesh/governance/guardrail/" + InjectionClassifier.RESOURCE);
        List<Example> all = read(data);
        List<Example> train = new ArrayList<>();
        List<Example> held = new ArrayList<>();
        for (Example e : all) {
            (heldOut(e.group()) ? held : train).add(e);
        }
        System.out.printf(Locale.ROOT, "%d records: %d train, %d held out%n", all.size(), train.size(), held.size());
        float[] w = new float[1 << BITS];
        float bias = fit(train, w);
        InjectionClassifier raw = new InjectionClassifier(BITS, WINDOW, STRIDE, bias, w);
        double[] scores = held.stream().mapToDouble(e -> raw.score(e.text())).toArray();
        boolean[] labels = labels(held);
        BinaryMetrics m = BinaryMetrics.of(scores, labels);
        double t = m.thresholdForFpr(TARGET_FPR);
        double shift = logit(InjectionClassifier.OPERATING_POINT) - logit(t);
        float shifted = (float) (bias + shift);
        byte[] model = write(w, shifted);
        Files.write(out, model);
        InjectionClassifier shipped = InjectionClassifier.load(new java.io.ByteArrayInputStream(model));
        report("held out", held, shipped);
        report("train", train, shipped);
        System.out.printf(Locale.ROOT, "raw threshold %.4f -> %.2f; model %d bytes written to %s%n", t,
                InjectionClassifier.OPERATING_POINT, model.length, out);
    }

    static void report(String name, List<Example> set, InjectionClassifier c) {
        double[] s = set.stream().mapToDouble(e -> c.score(e.text())).toArray();
        BinaryMetrics m = BinaryMetrics.of(s, labels(set));
        double op = InjectionClassifier.OPERATING_POINT;
        System.out.printf(Locale.ROOT, "%-8s all  n=%4d  TPR %.3f  FPR %.3f  AUC %.3f%n", name, set.size(), m.tpr(op),
                m.fpr(op), m.rocAuc());
        Map<String, List<Integer>> byLang = new TreeMap<>();
        for (int i = 0; i < set.size(); i++) {
            byLang.computeIfAbsent(set.get(i).lang(), k -> new ArrayList<>()).add(i);
        }
        byLang.forEach((lang, idx) -> {
            double[] ls = idx.stream().mapToDouble(i -> s[i]).toArray();
            boolean[] ll = new boolean[idx.size()];
            for (int k = 0; k < ll.length; k++) {
                ll[k] = set.get(idx.get(k)).label();
            }
            BinaryMetrics lm = BinaryMetrics.of(ls, ll);
            System.out.printf(Locale.ROOT, "%-8s %-4s n=%4d  TPR %.3f (%d)  FPR %.3f (%d)%n", name, lang, ll.length,
                    lm.tpr(op), lm.positives(), lm.fpr(op), lm.negatives());
        });
    }

    static boolean heldOut(String group) {
        int h = 0x811C9DC5;
        for (int i = 0; i < group.length(); i++) {
            h = (h ^ group.charAt(i)) * 16777619;
        }
        return Math.floorMod(h, 5) == 0;
    }

    /** Logistic regression by AdaGrad SGD over the windows of every text, class-balanced. Returns the bias. */
    static float fit(List<Example> train, float[] w) {
        record Instance(int[] buckets, float[] values, boolean label, float weight) {
        }
        int mask = w.length - 1;
        int pos = (int) train.stream().filter(Example::label).count();
        int neg = train.size() - pos;
        List<Instance> instances = new ArrayList<>();
        for (Example e : train) {
            char[] c = InjectionFeatures.normalise(e.text(), InjectionClassifier.MAX_CHARS);
            int[] starts = InjectionFeatures.windowStarts(c.length, WINDOW, STRIDE);
            float classWeight = (float) (train.size() / (2.0 * (e.label() ? pos : neg)));
            if (e.source().startsWith("handwritten")) {
                classWeight *= HANDWRITTEN_WEIGHT; // the few hard negatives and non-English attacks count more
            }
            for (int start : starts) {
                InjectionFeatures.Vector x = InjectionFeatures.vector(c, start, Math.min(c.length, start + WINDOW),
                        mask);
                int[] b = x.buckets();
                float[] v = x.values();
                instances.add(new Instance(b, v, e.label(), classWeight / starts.length));
            }
        }
        float[] g2 = new float[w.length];
        double bias = 0;
        double biasG2 = 1e-8;
        Random rnd = new Random(15);
        int[] order = new int[instances.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
            double loss = 0;
            for (int idx : order) {
                Instance in = instances.get(idx);
                double z = bias;
                for (int k = 0; k < in.buckets.length; k++) {
                    z += w[in.buckets[k]] * in.values[k];
                }
                double p = InjectionClassifier.sigmoid(z);
                double y = in.label ? 1 : 0;
                loss += in.weight * -(y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12));
                double g = (p - y) * in.weight;
                for (int k = 0; k < in.buckets.length; k++) {
                    int b = in.buckets[k];
                    double gw = g * in.values[k] + L2 * w[b];
                    g2[b] += (float) (gw * gw);
                    w[b] -= (float) (LEARNING_RATE * gw / Math.sqrt(g2[b] + 1e-8));
                }
                biasG2 += g * g;
                bias -= LEARNING_RATE * g / Math.sqrt(biasG2);
            }
            System.out.printf(Locale.ROOT, "epoch %2d  loss %.4f%n", epoch + 1, loss / order.length);
        }
        return (float) bias;
    }

    static byte[] write(float[] w, float bias) throws IOException {
        float max = 0;
        for (float x : w) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 1 : max / Short.MAX_VALUE;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(new GZIPOutputStream(bytes))) {
            d.writeInt(InjectionClassifier.MAGIC);
            d.writeInt(InjectionClassifier.VERSION);
            d.writeInt(BITS);
            d.writeInt(WINDOW);
            d.writeInt(STRIDE);
            d.writeFloat(bias);
            d.writeFloat(scale);
            for (float x : w) {
                d.writeShort(Math.round(x / scale));
            }
        }
        return bytes.toByteArray();
    }

    static List<Example> read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(line);
                out.add(new Example(n.get("text").asText(), n.get("label").asInt() == 1, n.path("lang").asText("?"),
                        n.path("source").asText("?"), n.path("group").asText(n.get("text").asText())));
            }
        }
        return out;
    }

    private static boolean[] labels(List<Example> set) {
        boolean[] l = new boolean[set.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = set.get(i).label();
        }
        return l;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
