package dev.llmmesh.testkit;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Word counting and chunking shared by the scripted client and the simulated server. Stateless. */
final class Texts {
    private Texts() {
    }

    /** Whitespace-separated words in {@code text}; 0 for null or blank. The testkit's deterministic token count. */
    static int words(@Nullable String text) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                n++;
            }
            inWord = !space;
        }
        return n;
    }

    /** The first {@code n} words of {@code text}, with their original spacing; the whole text if it has fewer. */
    static String firstWords(String text, int n) {
        int seen = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = Character.isWhitespace(text.charAt(i));
            if (!space && !inWord) {
                if (seen == n) {
                    return text.substring(0, i).stripTrailing();
                }
                seen++;
            }
            inWord = !space;
        }
        return text;
    }

    /** The text of one langchain4j message: user text parts, system text, AI text plus tool calls, tool results. */
    static String text(ChatMessage message) {
        if (message instanceof UserMessage u) {
            StringBuilder sb = new StringBuilder();
            for (Content c : u.contents()) {
                if (c instanceof TextContent t) {
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(t.text());
                }
            }
            return sb.toString();
        }
        if (message instanceof SystemMessage s) {
            return s.text();
        }
        if (message instanceof AiMessage a) {
            StringBuilder sb = new StringBuilder(a.text() == null ? "" : a.text());
            if (a.hasToolExecutionRequests()) {
                for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                    sb.append(' ').append(r.name()).append(' ').append(r.arguments());
                }
            }
            return sb.toString();
        }
        if (message instanceof ToolExecutionResultMessage t) {
            return t.text() == null ? "" : t.text();
        }
        return "";
    }

    /** Words across all messages. */
    static int words(List<ChatMessage> messages) {
        int n = 0;
        for (ChatMessage m : messages) {
            n += words(text(m));
        }
        return n;
    }

    /** The text of the last user message; empty when there is none. */
    static String lastUserText(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage u) {
                return text(u);
            }
        }
        return "";
    }

    /**
     * Splits {@code text} into at most {@code chunks} pieces at word boundaries (each word keeps the whitespace that
     * follows it), as evenly as the words allow; {@code chunks <= 0} means one piece per word. The pieces concatenate
     * back to {@code text}. An empty text gives no pieces.
     */
    static List<String> split(String text, int chunks) {
        List<String> words = new ArrayList<>();
        int start = 0;
        int i = 0;
        int n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) {
            i++; // leading whitespace stays with the first word
        }
        while (i < n) {
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            words.add(text.substring(start, i));
            start = i;
        }
        if (start < n) {
            words.add(text.substring(start)); // whitespace-only text
        }
        if (chunks <= 0 || chunks >= words.size()) {
            return words;
        }
        List<String> out = new ArrayList<>(chunks);
        int per = words.size() / chunks;
        int extra = words.size() % chunks;
        int w = 0;
        for (int c = 0; c < chunks; c++) {
            int take = per + (c < extra ? 1 : 0);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < take; k++) {
                sb.append(words.get(w++));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
