package dev.llmmesh.rag.ingest;

import dev.langchain4j.model.TokenCountEstimator;
import java.util.Objects;

/**
 * Counts tokens for the splitters. Implementations must be thread-safe and cheap: splitters call them once per word.
 */
@FunctionalInterface
public interface TokenCounter {

    /** The number of tokens in {@code text} (a word, or a longer span). */
    int count(String text);

    /**
     * About one token per four characters, at least one per word: close to BERT word pieces and GPT tokens for
     * English prose, with no tokenizer to load.
     */
    static TokenCounter approximate() {
        return text -> {
            int tokens = 0;
            int wordLength = 0;
            for (int i = 0; i < text.length(); i++) {
                if (Character.isWhitespace(text.charAt(i))) {
                    tokens += wordLength == 0 ? 0 : (wordLength + 3) / 4;
                    wordLength = 0;
                } else {
                    wordLength++;
                }
            }
            return tokens + (wordLength == 0 ? 0 : (wordLength + 3) / 4);
        };
    }

    /** Exact counts from a langchain4j estimator (for example the in-jar BERT tokenizer). */
    static TokenCounter of(TokenCountEstimator estimator) {
        Objects.requireNonNull(estimator, "estimator");
        return estimator::estimateTokenCountInText;
    }
}
