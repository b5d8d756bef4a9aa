package dev.llmmesh.internal;

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
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.llmmesh.CallContext;
import dev.llmmesh.client.Capability;
import dev.llmmesh.client.TextTokens;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** What the router needs to know about a request: its size and the capabilities it implies. */
final class RequestFacts {
    /** Average characters per token for English text with the common BPE tokenizers. */
    private static final int CHARS_PER_TOKEN = 4;
    /** Per-message framing overhead, in tokens. */
    private static final int PER_MESSAGE = 4;

    private RequestFacts() {
    }

    /**
     * Input tokens of {@code request}: the texts by the script-aware {@link TextTokens} (so CJK text is not counted at
     * a quarter token per character), tools' names, descriptions and half their schema, 85 per image, and framing.
     */
    static int estimateInputTokens(ChatRequest request) {
        TextTokens text = new TextTokens();
        long chars = 0;
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            chars += texts(messages.get(i), text);
        }
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null) {
            for (ToolSpecification t : tools) {
                chars += t.name().length() + (t.description() == null ? 0 : t.description().length())
                        + (t.parameters() == null ? 0 : t.parameters().toString().length() / 2);
            }
        }
        long tokens = text.tokens() + chars / CHARS_PER_TOKEN + (long) PER_MESSAGE * messages.size();
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /** Adds the message's texts to {@code text}; returns the characters to count at four per token (images). */
    private static int texts(ChatMessage m, TextTokens text) {
        if (m instanceof UserMessage u) {
            int n = 0;
            List<Content> contents = u.contents();
            for (int i = 0; i < contents.size(); i++) {
                Content c = contents.get(i);
                if (c instanceof TextContent t) {
                    text.add(t.text());
                } else if (c instanceof ImageContent) {
                    n += 85 * CHARS_PER_TOKEN; // a low-detail image is ~85 tokens with OpenAI
                }
            }
            return n;
        }
        if (m instanceof SystemMessage s) {
            text.add(s.text());
        } else if (m instanceof AiMessage a) {
            if (a.text() != null) {
                text.add(a.text());
            }
            if (a.hasToolExecutionRequests()) {
                for (var r : a.toolExecutionRequests()) {
                    text.add(r.name());
                    if (r.arguments() != null) {
                        text.add(r.arguments());
                    }
                }
            }
        } else if (m instanceof ToolExecutionResultMessage r && r.text() != null) {
            text.add(r.text());
        }
        return 0;
    }

    static Set<Capability> requiredCapabilities(ChatRequest request, CallContext context, boolean streaming) {
        Set<Capability> need = EnumSet.noneOf(Capability.class);
        need.addAll(context.requiredCapabilities());
        if (streaming) {
            need.add(Capability.STREAMING);
        }
        List<ToolSpecification> tools = request.toolSpecifications();
        if (tools != null && !tools.isEmpty()) {
            need.add(Capability.TOOLS);
        }
        ResponseFormat format = request.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            need.add(format.jsonSchema() != null ? Capability.JSON_SCHEMA : Capability.JSON_MODE);
        }
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof UserMessage u) {
                List<Content> contents = u.contents();
                for (int j = 0; j < contents.size(); j++) {
                    if (contents.get(j) instanceof ImageContent) {
                        need.add(Capability.VISION);
                        return need;
                    }
                }
            }
        }
        return need;
    }
}
