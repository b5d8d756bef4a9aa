package dev.llmmesh.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" by edit distance (optimal string alignment, case-insensitive). Stateless. */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate closest to {@code input}, if it is close enough to be a likely typo: at most a third of the
     * input's length in edits (at least 1, at most 3). Ties go to the first candidate.
     */
    static Optional<String> closest(String input, Collection<String> candidates) {
        String in = input.toLowerCase(Locale.ROOT);
        int limit = Math.max(1, Math.min(3, in.length() / 3));
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(in, candidate.toLowerCase(Locale.ROOT));
            if (d <= limit && d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code  (did you mean "x"?)} or the empty string. */
    static String didYouMean(String input, Collection<String> candidates) {
        return closest(input, candidates).map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    /** Edit distance counting insertions, deletions, substitutions and adjacent transpositions as one edit each. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
