package dev.llmmesh.agents.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.Cost;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import java.math.BigDecimal;
import java.util.Optional;

/** Cost estimates before a call: about 4 characters per token, the router's output default of 512 tokens. */
public final class CostEstimate {
    /** Output tokens assumed when the request sets no cap (the router's default too). */
    public static final int DEFAULT_OUTPUT = 512;
    /** Input tokens of a nominal agent step, for comparing agents before any request exists. */
    public static final int NOMINAL_INPUT = 1000;

    private CostEstimate() {
    }

    /** The estimated input tokens of {@code request}. */
    public static long inputTokens(ChatRequest request) {
        long chars = 0;
        for (ChatMessage m : request.messages()) {
            chars += length(m) + 16;
        }
        if (request.toolSpecifications() != null) {
            for (var t : request.toolSpecifications()) {
                chars += t.name().length() + (t.description() == null ? 0 : t.description().length())
                        + (t.parameters() == null ? 0 : t.parameters().toString().length() / 2);
            }
        }
        return chars / 4;
    }

    /** The estimated cost of {@code request} on {@code model}; empty when the model has no price. */
    public static Optional<Cost> of(ChatRequest request, ModelDescriptor model) {
        int out = request.maxOutputTokens() != null ? request.maxOutputTokens()
                : Math.min(DEFAULT_OUTPUT, model.maxOutputTokens());
        long in = inputTokens(request);
        return model.pricing().map(p -> p.cost(in, out, 0, 0));
    }

    /** The cost of a nominal step on {@code model}; empty when the model has no price. */
    public static Optional<BigDecimal> nominal(ModelDescriptor model, Optional<Integer> maxOutput) {
        int out = maxOutput.orElse(Math.min(DEFAULT_OUTPUT, model.maxOutputTokens()));
        return model.pricing().map((Pricing p) -> p.cost(NOMINAL_INPUT, out, 0, 0).usd());
    }

    private static int length(ChatMessage m) {
        if (m instanceof SystemMessage s) {
            return s.text().length();
        }
        if (m instanceof UserMessage u) {
            return u.hasSingleText() ? u.singleText().length() : u.contents().toString().length();
        }
        if (m instanceof AiMessage a) {
            int n = a.text() == null ? 0 : a.text().length();
            if (a.hasToolExecutionRequests()) {
                n += a.toolExecutionRequests().stream().mapToInt(r -> r.name().length()
                        + (r.arguments() == null ? 0 : r.arguments().length())).sum();
            }
            return n;
        }
        if (m instanceof ToolExecutionResultMessage r) {
            return r.text() == null ? 0 : r.text().length();
        }
        return 0;
    }
}
