package dev.llmmesh.governance.budget;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import java.util.List;

/**
 * Estimates how many input tokens a request will be billed for, before it is sent. Budgets reserve and rate limits
 * count with it; the real counts replace the estimate once the provider reports usage.
 *
 * <p>{@link #DEFAULT} uses the heuristic the router uses: one token per four characters of text (rounded up), four
 * tokens of framing per message, 85 tokens per image, and the tools' names, descriptions and half their schema text.
 * Plug in a real tokenizer for exact counts. Implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface TokenEstimator {

    /** Characters per token for English text with the common BPE tokenizers. */
    int CHARS_PER_TOKEN = 4;

    /** The character heuristic described above. */
    TokenEstimator DEFAULT = TokenEstimator::heuristic;

    /** The estimated input tokens of {@code request}; never negative. */
    long inputTokens(ChatRequest request);

    private static long heuristic(ChatRequest request) {
        long chars = 0;
        long images = 0;
        List<ChatMessage> messages = request.messages();
        for (ChatMessage m : messages) {
            if (m instanceof UserMessage u) {
                for (Content c : u.contents()) {
                    if (c instanceof TextContent t) {
                        chars += t.text().length();
                    } else if (c instanceof ImageContent) {
                        images++;
                    }
                }
            } else if (m instanceof SystemMessage s) {
                chars += s.text().length();
            } else if (m instanceof AiMessage a) {
                chars += a.text() == null ? 0 : a.text().length();
                if (a.hasToolExecutionRequests()) {
                    chars += a.toolExecutionRequests().stream().mapToLong(r -> r.name().length()
                            + (r.arguments() == null ? 0 : r.arguments().length())).sum();
                }
            } else if (m instanceof ToolExecutionResultMessage r) {
                chars += r.text() == null ? 0 : r.text().length();
            }
        }
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null) {
            for (ToolSpecification t : tools) {
                chars += t.name().length() + (t.description() == null ? 0 : t.description().length())
                        + (t.parameters() == null ? 0 : t.parameters().toString().length() / 2);
            }
        }
        return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + 4L * messages.size() + 85L * images;
    }
}
