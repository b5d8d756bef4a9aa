package dev.llmmesh.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call went where it went: every candidate with its score terms or its rejection reason, in plan order
 * (plan first, then rejected candidates). {@link #toTable()} renders it for humans.
 *
 * @param requestId  the call
 * @param candidates every registered model considered
 * @param estimatedInputTokens the router's estimate of the request's input tokens
 * @param strategy   the name of the strategy that scored the candidates
 */
public record RoutingDecision(String requestId, List<CandidateReport> candidates, int estimatedInputTokens,
                              String strategy) {
    public RoutingDecision {
        Objects.requireNonNull(requestId, "requestId");
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(strategy, "strategy");
    }

    /** The model ids in plan order: primary first, then fallbacks. */
    public List<String> plan() {
        List<String> out = new ArrayList<>();
        for (CandidateReport c : candidates) {
            if (!c.rejected()) {
                out.add(c.modelId());
            }
        }
        return out;
    }

    /** The primary model, if any candidate survived the filters. */
    public Optional<String> primary() {
        return candidates.stream().filter(c -> c.rank() == 1).map(CandidateReport::modelId).findFirst();
    }

    /** The report of {@code modelId}, if it was considered. */
    public Optional<CandidateReport> candidate(String modelId) {
        return candidates.stream().filter(c -> c.modelId().equals(modelId)).findFirst();
    }

    /** The rejected candidates. */
    public List<CandidateReport> rejected() {
        return candidates.stream().filter(CandidateReport::rejected).toList();
    }

    /**
     * A fixed-width table: rank, model, provider, score, each term, estimated cost, and the rejection reason.
     */
    public String toTable() {
        String[] header = {"rank", "model", "provider", "score", "cost", "latency", "success", "load", "pref",
            "est. cost", "note"};
        List<String[]> rows = new ArrayList<>();
        rows.add(header);
        for (CandidateReport c : candidates) {
            String rank = c.rejected() ? "-" : (c.rank() == 1 ? "1*" : String.valueOf(c.rank()));
            String[] row = new String[header.length];
            row[0] = rank;
            row[1] = c.modelId();
            row[2] = c.provider();
            if (c.score().isPresent()) {
                ScoreTerms s = c.score().get();
                row[3] = fmt(s.total());
                row[4] = fmt(s.costTerm());
                row[5] = fmt(s.latencyTerm());
                row[6] = fmt(s.successTerm());
                row[7] = fmt(s.loadTerm());
                row[8] = fmt(s.preferenceTerm());
                row[9] = s.estimatedCost().toString();
            } else {
                for (int i = 3; i < 10; i++) {
                    row[i] = "";
                }
            }
            row[10] = c.rejection().map(r -> "rejected: " + r).orElse(c.rank() == 1 ? "primary" : "fallback")
                    + (c.note().isEmpty() ? "" : " (" + c.note() + ")");
            rows.add(row);
        }
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < row.length; i++) {
                sb.append(i == 0 ? "" : "  ");
                sb.append(i == row.length - 1 ? row[i] : pad(row[i], width[i]));
            }
            sb.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                sb.append("-".repeat(Math.max(0, total - 2))).append('\n');
            }
        }
        return sb.toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    @Override
    public String toString() {
        return "RoutingDecision{requestId=" + requestId + ", strategy=" + strategy + ", plan=" + plan()
                + ", rejected=" + rejected().size() + '}';
    }
}
