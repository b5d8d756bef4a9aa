package dev.llmmesh.governance.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Reads and rewrites the texts of langchain4j messages. Stateless. */
public final class Messages {
    private Messages() {
    }

    /** Which messages a text belongs to. */
    public enum Role { SYSTEM, USER, AI, TOOL_RESULT, TOOL_ARGUMENTS }

    /** A text and the role of its message. */
    public record Text(Role role, String text) {
    }

    /** Every text in the request, in order. */
    public static List<Text> texts(ChatRequest request) {
        List<Text> out = new ArrayList<>();
        for (ChatMessage m : request.messages()) {
            if (m instanceof SystemMessage s) {
                out.add(new Text(Role.SYSTEM, s.text()));
            } else if (m instanceof UserMessage u) {
                for (Content c : u.contents()) {
                    if (c instanceof TextContent t && t.text() != null) {
                        out.add(new Text(Role.USER, t.text()));
                    }
                }
            } else if (m instanceof AiMessage a) {
                if (a.text() != null) {
                    out.add(new Text(Role.AI, a.text()));
                }
                if (a.toolExecutionRequests() != null) {
                    for (ToolExecutionRequest r : a.toolExecutionRequests()) {
                        if (r.arguments() != null) {
                            out.add(new Text(Role.TOOL_ARGUMENTS, r.arguments()));
                        }
                    }
                }
            } else if (m instanceof ToolExecutionResultMessage t) {
                for (Content c : t.contents()) {
                    if (c instanceof TextContent tc && tc.text() != null) {
                        out.add(new Text(Role.TOOL_RESULT, tc.text()));
                    }
                }
            }
        }
        return out;
    }

    /** Characters over every text of the request. */
    public static int inputChars(ChatRequest request) {
        int n = 0;
        for (Text t : texts(request)) {
            n += t.text().length();
        }
        return n;
    }

    /** The request with every text passed through {@code f}; the same instance when nothing changed. */
    public static ChatRequest mapTexts(ChatRequest request, UnaryOperator<String> f) {
        return mapTexts(request, (role, text) -> f.apply(text));
    }

    /**
     * The request with every text passed through {@code f}, which also gets the role of the text's message; the same
     * instance when nothing changed.
     */
    public static ChatRequest mapTexts(ChatRequest request, BiFunction<Role, String, String> f) {
        List<ChatMessage> out = new ArrayList<>(request.messages().size());
        boolean changed = false;
        for (ChatMessage m : request.messages()) {
            ChatMessage n = map(m, f);
            changed |= n != m;
            out.add(n);
        }
        if (!changed) {
            return request;
        }
        return ChatRequest.builder().messages(out).parameters(request.parameters()).build();
    }

    private static ChatMessage map(ChatMessage m, BiFunction<Role, String, String> f) {
        if (m instanceof SystemMessage s) {
            String t = f.apply(Role.SYSTEM, s.text());
            return t.equals(s.text()) ? m : SystemMessage.from(t);
        }
        if (m instanceof UserMessage u) {
            List<Content> contents = mapContents(u.contents(), t -> f.apply(Role.USER, t));
            return contents == null ? m : u.toBuilder().contents(contents).build();
        }
        if (m instanceof AiMessage a) {
            return mapAi(a, t -> f.apply(Role.AI, t), (name, t) -> f.apply(Role.TOOL_ARGUMENTS, t));
        }
        if (m instanceof ToolExecutionResultMessage t) {
            List<Content> contents = mapContents(t.contents(), x -> f.apply(Role.TOOL_RESULT, x));
            return contents == null ? m : t.toBuilder().contents(contents).build();
        }
        return m;
    }

    /** The contents with their texts passed through {@code f}; null when nothing changed. */
    private static @Nullable List<Content> mapContents(List<Content> in, UnaryOperator<String> f) {
        List<Content> contents = new ArrayList<>(in.size());
        boolean changed = false;
        for (Content c : in) {
            if (c instanceof TextContent tc && tc.text() != null) {
                String t = f.apply(tc.text());
                changed |= !t.equals(tc.text());
                contents.add(t.equals(tc.text()) ? c : TextContent.from(t));
            } else {
                contents.add(c);
            }
        }
        return changed ? contents : null;
    }

    /** {@code a} with its text passed through {@code text} and its tool arguments through {@code args}. */
    public static AiMessage mapAi(AiMessage a, UnaryOperator<String> text, UnaryOperator<String> args) {
        return mapAi(a, text, (name, x) -> args.apply(x));
    }

    /**
     * {@code a} with its text passed through {@code text} and each tool call's arguments through {@code args}, which
     * also gets the tool's name.
     */
    public static AiMessage mapAi(AiMessage a, UnaryOperator<String> text, BiFunction<String, String, String> args) {
        String t = a.text() == null ? null : text.apply(a.text());
        boolean changed = t != null && !t.equals(a.text());
        List<ToolExecutionRequest> reqs = a.toolExecutionRequests();
        List<ToolExecutionRequest> newReqs = reqs;
        if (reqs != null && !reqs.isEmpty()) {
            newReqs = new ArrayList<>(reqs.size());
            for (ToolExecutionRequest r : reqs) {
                String x = r.arguments() == null ? null : args.apply(r.name() == null ? "" : r.name(), r.arguments());
                if (x != null && !x.equals(r.arguments())) {
                    changed = true;
                    newReqs.add(r.toBuilder().arguments(x).build());
                } else {
                    newReqs.add(r);
                }
            }
        }
        if (!changed) {
            return a;
        }
        AiMessage.Builder b = a.toBuilder();
        b.text(t);
        if (newReqs != null) {
            b.toolExecutionRequests(newReqs);
        }
        return b.build();
    }

    /** The response with its text and tool arguments passed through the given functions. */
    public static ChatResponse mapResponse(ChatResponse r, UnaryOperator<String> text, UnaryOperator<String> args) {
        return mapResponse(r, text, (name, x) -> args.apply(x));
    }

    /** The response with its text and tool arguments (with the tool's name) passed through the given functions. */
    public static ChatResponse mapResponse(ChatResponse r, UnaryOperator<String> text,
                                           BiFunction<String, String, String> args) {
        if (r.aiMessage() == null) {
            return r;
        }
        AiMessage a = mapAi(r.aiMessage(), text, args);
        return a == r.aiMessage() ? r : r.toBuilder().aiMessage(a).build();
    }

    /** The answer's text, or an empty string. */
    public static String text(ChatResponse r) {
        return r.aiMessage() == null || r.aiMessage().text() == null ? "" : r.aiMessage().text();
    }
}
