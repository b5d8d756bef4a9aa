package dev.llmmesh.governance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.governance.internal.audit.LineReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Spend per day, team and model, totalled from audit records, to reconcile against provider invoices. Amounts are
 * exact sums of the records' billed costs ({@link BigDecimal}, no rounding until display); each record counts once
 * (by {@link AuditRecord#recordId()}), and a call's cost goes to the model that answered it (else the last one
 * attempted). Immutable and thread-safe.
 *
 * <pre>{@code
 * CostReport report = CostReport.fromLog(Path.of("audit.jsonl"), ZoneId.of("Europe/Paris"));
 * System.out.print(report.toTable());
 * }</pre>
 */
public final class CostReport {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What a missing team or model is shown as. */
    public static final String NONE = "(none)";

    private final ZoneId zone;
    private final List<Line> lines;
    private final int unreadable;

    /**
     * One day, team and model.
     *
     * @param day          the day, in the report's time zone
     * @param team         the team, or {@value CostReport#NONE}
     * @param model        the model, or {@value CostReport#NONE}
     * @param calls        calls counted
     * @param costUsd      their billed cost, exactly
     * @param inputTokens  their input tokens
     * @param outputTokens their output tokens
     * @param unknownCost  calls billed by a model without a price (their amount covers priced attempts only)
     */
    public record Line(LocalDate day, String team, String model, long calls, BigDecimal costUsd, long inputTokens,
                       long outputTokens, long unknownCost) {
        public Line {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(team, "team");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(costUsd, "costUsd");
        }
    }

    private CostReport(ZoneId zone, List<Line> lines, int unreadable) {
        this.zone = zone;
        this.lines = List.copyOf(lines);
        this.unreadable = unreadable;
    }

    /** Totals of {@code records}, with days in {@code zone}. */
    public static CostReport of(Iterable<AuditRecord> records, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        Accumulator acc = new Accumulator(zone);
        for (AuditRecord r : records) {
            acc.add(r);
        }
        return acc.report(0);
    }

    /**
     * Totals of the records in a {@link FileAuditSink} log, with days in {@code zone}. Lines that are not readable
     * records are skipped and counted in {@link #unreadableLines()} (verify the log with {@link AuditVerifier}).
     *
     * @throws UncheckedIOException if the log cannot be read
     */
    public static CostReport fromLog(Path log, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        Accumulator acc = new Accumulator(zone);
        int bad = 0;
        try (LineReader r = new LineReader(log, 0)) {
            String line;
            while ((line = r.next()) != null) {
                try {
                    JsonNode n = MAPPER.readTree(line);
                    JsonNode rec = n == null ? null : n.get("record");
                    if (rec == null || !rec.isObject()) {
                        bad++;
                        continue;
                    }
                    acc.add(AuditRecord.fromJson(rec.toString()));
                } catch (IOException | IllegalArgumentException e) {
                    bad++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + log + ": " + e.getMessage(), e);
        }
        return acc.report(bad);
    }

    /** The time zone days are counted in. */
    public ZoneId zone() {
        return zone;
    }

    /** One line per day, team and model, ordered by day, then team, then model. */
    public List<Line> lines() {
        return lines;
    }

    /** The total of every line. */
    public BigDecimal total() {
        return lines.stream().map(Line::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Totals per team, in team order. */
    public Map<String, BigDecimal> totalsByTeam() {
        Map<String, BigDecimal> out = new TreeMap<>();
        lines.forEach(l -> out.merge(l.team(), l.costUsd(), BigDecimal::add));
        return out;
    }

    /** Totals per model, in model order. */
    public Map<String, BigDecimal> totalsByModel() {
        Map<String, BigDecimal> out = new TreeMap<>();
        lines.forEach(l -> out.merge(l.model(), l.costUsd(), BigDecimal::add));
        return out;
    }

    /** Log lines that were not readable records. */
    public int unreadableLines() {
        return unreadable;
    }

    /** A fixed-width table (amounts to 6 decimals, rounded half up for display only) with a total line. */
    public String toTable() {
        String[] header = {"day", "team", "model", "calls", "input tokens", "output tokens", "cost (USD)"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        long calls = 0;
        long in = 0;
        long out = 0;
        for (Line l : lines) {
            rows.add(new String[] {l.day().toString(), l.team(), l.model(), Long.toString(l.calls()),
                Long.toString(l.inputTokens()), Long.toString(l.outputTokens()),
                money(l.costUsd()) + (l.unknownCost() > 0 ? " (+" + l.unknownCost() + " unpriced)" : "")});
            calls += l.calls();
            in += l.inputTokens();
            out += l.outputTokens();
        }
        rows.add(new String[] {"total", "", "", Long.toString(calls), Long.toString(in), Long.toString(out),
            money(total())});
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            if (r == rows.size() - 1 || r == 1) {
                sb.append("-".repeat(java.util.Arrays.stream(width).sum() + 2 * (width.length - 1))).append('\n');
            }
            String[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 3;
                String cell = numeric ? " ".repeat(width[i] - row[i].length()) + row[i]
                        : row[i] + " ".repeat(width[i] - row[i].length());
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append('\n');
        }
        if (unreadable > 0) {
            sb.append(unreadable).append(" unreadable line(s) skipped; run the verifier\n");
        }
        return sb.toString();
    }

    private static String money(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP).toPlainString();
    }

    private static final class Accumulator {
        private final ZoneId zone;
        private final Set<String> seen = new HashSet<>();
        private final Map<List<Object>, long[]> counts = new LinkedHashMap<>();
        private final Map<List<Object>, BigDecimal> costs = new LinkedHashMap<>();

        Accumulator(ZoneId zone) {
            this.zone = zone;
        }

        void add(AuditRecord r) {
            if (!seen.add(r.recordId())) {
                return;
            }
            List<Object> key = List.of(r.startedAt().atZone(zone).toLocalDate(), r.team().orElse(NONE),
                    r.costModel().orElse(NONE));
            long[] c = counts.computeIfAbsent(key, k -> new long[4]);
            c[0]++;
            c[1] += r.tokens().input();
            c[2] += r.tokens().output();
            c[3] += r.costKnown() ? 0 : 1;
            costs.merge(key, r.costUsd(), BigDecimal::add);
        }

        CostReport report(int unreadable) {
            List<Line> out = new ArrayList<>();
            counts.forEach((k, c) -> out.add(new Line((LocalDate) k.get(0), (String) k.get(1), (String) k.get(2), c[0],
                    costs.get(k), c[1], c[2], c[3])));
            out.sort(Comparator.comparing(Line::day).thenComparing(Line::team).thenComparing(Line::model));
            return new CostReport(zone, out, unreadable);
        }
    }
}
