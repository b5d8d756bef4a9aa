package dev.llmmesh.rag.eval;

import dev.llmmesh.rag.retrieve.RetrievalRequest;
import dev.llmmesh.rag.retrieve.Retriever;
import dev.llmmesh.rag.store.ScoredChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Computes recall@k, precision@k, MRR@k and nDCG@10 the way the anthropic-cookbook RAG guide does
 * ({@code skills/retrieval_augmented_generation/guide.ipynb}): per query, then averaged over queries; precision
 * divides by the number retrieved (k unless fewer came back), MRR counts the first relevant id within the top k.
 * Relevance is binary and judged per document id; several chunks of one document count once, at the best rank.
 * Stateless and thread-safe.
 */
public final class RetrievalEvaluator {
    private RetrievalEvaluator() {
    }

    /** A system under test: the ids it retrieves for a question, best first, at most {@code depth}. */
    @FunctionalInterface
    public interface Ranking {
        List<String> rank(String question, int depth);
    }

    /**
     * Evaluates a retriever over {@code knowledgeBase}, judging each retrieved chunk by its document id.
     *
     * @throws IllegalArgumentException if {@code k < 1} or there are no queries
     */
    public static EvalReport evaluate(String name, Retriever retriever, String knowledgeBase,
                                      List<LabelledQuery> queries, int k) {
        Objects.requireNonNull(retriever, "retriever");
        return evaluate(name, (q, depth) -> {
            List<String> ids = new ArrayList<>();
            for (ScoredChunk c : retriever.retrieve(RetrievalRequest.of(q, knowledgeBase, depth))) {
                ids.add(c.chunk().documentId());
            }
            return ids;
        }, queries, k);
    }

    /**
     * Evaluates any ranking.
     *
     * @throws IllegalArgumentException if {@code k < 1} or there are no queries
     */
    public static EvalReport evaluate(String name, Ranking ranking, List<LabelledQuery> queries, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("no queries to evaluate");
        }
        int depth = Math.max(k, 10);
        List<QueryResult> results = new ArrayList<>(queries.size());
        double recall = 0;
        double precision = 0;
        double mrr = 0;
        double ndcg = 0;
        for (LabelledQuery q : queries) {
            List<String> ranked = List.copyOf(new LinkedHashSet<>(ranking.rank(q.question(), depth)));
            QueryResult r = measure(q, ranked.size() > depth ? ranked.subList(0, depth) : ranked, k);
            results.add(r);
            recall += r.recall();
            precision += r.precision();
            mrr += r.reciprocalRank();
            ndcg += r.ndcg10();
        }
        int n = queries.size();
        return new EvalReport(name, k, recall / n, precision / n, mrr / n, ndcg / n, results);
    }

    static QueryResult measure(LabelledQuery q, List<String> ranked, int k) {
        Set<String> relevant = new HashSet<>(q.relevant());
        List<String> top = ranked.size() > k ? ranked.subList(0, k) : ranked;
        int hits = 0;
        double rr = 0;
        for (int i = 0; i < top.size(); i++) {
            if (relevant.contains(top.get(i))) {
                hits++;
                if (rr == 0) {
                    rr = 1.0 / (i + 1);
                }
            }
        }
        double recall = (double) hits / relevant.size();
        double precision = top.isEmpty() ? 0 : (double) hits / top.size();
        double dcg = 0;
        for (int i = 0; i < ranked.size() && i < 10; i++) {
            if (relevant.contains(ranked.get(i))) {
                dcg += 1 / log2(i + 2);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            idcg += 1 / log2(i + 2);
        }
        return new QueryResult(q, ranked, recall, precision, rr, dcg / idcg);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
