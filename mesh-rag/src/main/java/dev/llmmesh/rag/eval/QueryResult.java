package dev.llmmesh.rag.eval;

import java.util.List;
import java.util.Objects;

/**
 * The measures of one query.
 *
 * @param query     the labelled query
 * @param retrieved the ids retrieved, best first (as deep as nDCG@10 needs)
 * @param recall    relevant ids in the top k / relevant ids
 * @param precision relevant ids in the top k / ids in the top k
 * @param reciprocalRank 1 / rank of the first relevant id in the top k; 0 if none
 * @param ndcg10    normalized discounted cumulative gain over the top 10
 */
public record QueryResult(LabelledQuery query, List<String> retrieved, double recall, double precision,
                          double reciprocalRank, double ndcg10) {
    public QueryResult {
        Objects.requireNonNull(query, "query");
        retrieved = List.copyOf(retrieved);
    }
}
