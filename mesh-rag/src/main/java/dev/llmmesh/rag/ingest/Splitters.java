package dev.llmmesh.rag.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The splitters behind {@link Splitter}'s factories. */
final class Splitters {
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})[ \\t]+(.+?)[ \\t#]*$");

    private Splitters() {
    }

    static final class Whole implements Splitter {
        @Override
        public List<TextChunk> split(SourceDocument document) {
            String t = document.text();
            int start = 0;
            int end = t.length();
            while (start < end && Character.isWhitespace(t.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(t.charAt(end - 1))) {
                end--;
            }
            if (start == end) {
                return List.of();
            }
            return List.of(new TextChunk(t.substring(start, end), document.metadata().getOrDefault("heading", ""),
                    start, end));
        }

        @Override
        public String toString() {
            return "Splitter.whole()";
        }
    }

    static final class ByTokens implements Splitter {
        private final int maxTokens;
        private final int overlapTokens;
        private final TokenCounter counter;

        ByTokens(int maxTokens, int overlapTokens, TokenCounter counter) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
            }
            if (overlapTokens < 0 || overlapTokens >= maxTokens) {
                throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens), got " + overlapTokens
                        + " with maxTokens " + maxTokens);
            }
            this.maxTokens = maxTokens;
            this.overlapTokens = overlapTokens;
            this.counter = counter;
        }

        @Override
        public List<TextChunk> split(SourceDocument document) {
            List<TextChunk> out = new ArrayList<>();
            splitSpan(document.text(), 0, document.text().length(), "", out);
            return out;
        }

        /** Adds the windows of {@code text[from, to)} to {@code out}. */
        void splitSpan(String text, int from, int to, String heading, List<TextChunk> out) {
            List<int[]> words = new ArrayList<>();
            Matcher m = WORD.matcher(text).region(from, to);
            while (m.find()) {
                words.add(new int[] {m.start(), m.end()});
            }
            int n = words.size();
            if (n == 0) {
                return;
            }
            int[] tokens = new int[n];
            for (int i = 0; i < n; i++) {
                tokens[i] = Math.max(1, counter.count(text.substring(words.get(i)[0], words.get(i)[1])));
            }
            int i = 0;
            while (i < n) {
                int j = i;
                int sum = 0;
                while (j < n && (j == i || sum + tokens[j] <= maxTokens)) {
                    sum += tokens[j];
                    j++;
                }
                int cut = j;
                if (j < n) {
                    for (int w = j - 1; w > i + (j - i) / 2; w--) {
                        if (endsSentence(text, words.get(w)[1], w + 1 < n ? words.get(w + 1)[0] : to)) {
                            cut = w + 1;
                            break;
                        }
                    }
                }
                int start = words.get(i)[0];
                int end = words.get(cut - 1)[1];
                out.add(new TextChunk(text.substring(start, end), heading, start, end));
                if (cut >= n) {
                    break;
                }
                int next = cut;
                int overlap = 0;
                while (next > i + 1 && overlap + tokens[next - 1] <= overlapTokens) {
                    overlap += tokens[next - 1];
                    next--;
                }
                i = next;
            }
        }

        private static boolean endsSentence(String text, int wordEnd, int nextWordStart) {
            char last = text.charAt(wordEnd - 1);
            if (last == '.' || last == '!' || last == '?' || last == ':') {
                return true;
            }
            return text.substring(wordEnd, nextWordStart).contains("\n\n");
        }

        @Override
        public String toString() {
            return "Splitter.byTokens(" + maxTokens + ", " + overlapTokens + ", " + counter.getClass().getName() + ")";
        }
    }

    static final class ByHeading implements Splitter {
        private final ByTokens tokens;

        ByHeading(ByTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public List<TextChunk> split(SourceDocument document) {
            String text = document.text();
            List<TextChunk> out = new ArrayList<>();
            String[] path = new String[7];
            String heading = "";
            int sectionStart = 0;
            int bodyStart = 0;
            boolean inFence = false;
            int lineStart = 0;
            while (lineStart <= text.length()) {
                int nl = text.indexOf('\n', lineStart);
                int lineEnd = nl < 0 ? text.length() : nl;
                String line = text.substring(lineStart, lineEnd);
                String stripped = line.strip();
                if (stripped.startsWith("```") || stripped.startsWith("~~~")) {
                    inFence = !inFence;
                }
                Matcher h = inFence ? null : HEADING.matcher(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                if (h != null && h.matches()) {
                    emit(text, sectionStart, bodyStart, lineStart, heading, out);
                    int level = h.group(1).length();
                    path[level] = h.group(2).strip();
                    for (int l = level + 1; l < path.length; l++) {
                        path[l] = null;
                    }
                    StringBuilder p = new StringBuilder();
                    for (int l = 1; l < path.length; l++) {
                        if (path[l] != null) {
                            p.append(p.length() == 0 ? "" : " > ").append(path[l]);
                        }
                    }
                    heading = p.toString();
                    sectionStart = lineStart;
                    bodyStart = lineEnd;
                }
                if (nl < 0) {
                    break;
                }
                lineStart = nl + 1;
            }
            emit(text, sectionStart, bodyStart, text.length(), heading, out);
            return out;
        }

        private void emit(String text, int sectionStart, int bodyStart, int end, String heading, List<TextChunk> out) {
            if (text.substring(bodyStart, end).isBlank()) {
                return;
            }
            tokens.splitSpan(text, sectionStart, end, heading, out);
        }

        @Override
        public String toString() {
            return "Splitter.byHeading(" + tokens + ")";
        }
    }
}
