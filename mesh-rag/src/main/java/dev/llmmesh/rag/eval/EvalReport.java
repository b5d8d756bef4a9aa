package dev.llmmesh.rag.eval;

import java.util.List;
import java.util.Locale;

/**
 * Mean retrieval quality over a labelled query set. Immutable.
 *
 * @param name      what was measured (e.g. {@code hybrid})
 * @param k         the cut-off of recall, precision and MRR
 * @param recall    mean recall@k
 * @param precision mean precision@k
 * @param mrr       mean reciprocal rank within the top k
 * @param ndcg10    mean nDCG@10
 * @param queries   the per-query results
 */
public record EvalReport(String name, int k, double recall, double precision, double mrr, double ndcg10,
                         List<QueryResult> queries) {
    public EvalReport {
        queries = List.copyOf(queries);
    }

    /** F1 of the mean precision and mean recall (as the cookbook reports it). */
    public double f1() {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    /** One Markdown table row: name, k, recall, precision, F1, MRR, nDCG@10, queries. */
    public String toRow() {
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %d |", name, k, recall,
                precision, f1(), mrr, ndcg10, queries.size());
    }

    /** The header matching {@link #toRow()}. */
    public static String header() {
        return "| retrieval | k | recall@k | precision@k | F1 | MRR@k | nDCG@10 | queries |\n"
                + "|---|---|---|---|---|---|---|---|";
    }
}
