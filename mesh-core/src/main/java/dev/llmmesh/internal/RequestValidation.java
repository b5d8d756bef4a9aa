package dev.llmmesh.internal;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.llmmesh.InvalidRequestException;
import java.util.List;

/**
 * Checks a request at the mesh's edge, before listeners, interceptors, cost estimates or providers see it, so a
 * malformed request fails at once with the field named instead of deep inside cost code or at the provider.
 */
final class RequestValidation {
    private RequestValidation() {
    }

    /** @throws InvalidRequestException naming the first bad field */
    static void check(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        if (messages == null || messages.isEmpty()) {
            throw new InvalidRequestException("messages", "a request needs at least one message");
        }
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) == null) {
                throw new InvalidRequestException("messages[" + i + "]", "is null; remove it or pass a message");
            }
        }
        ChatRequestParameters p = request.parameters();
        if (p == null) {
            return;
        }
        Integer max = p.maxOutputTokens();
        if (max != null && max < 1) {
            throw new InvalidRequestException("parameters.maxOutputTokens",
                    "must be at least 1, got " + max + "; leave it unset for the model's default");
        }
        nonNegativeFinite("parameters.temperature", p.temperature());
        Double topP = p.topP();
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new InvalidRequestException("parameters.topP", "must be in (0, 1], got " + topP);
        }
        Integer topK = p.topK();
        if (topK != null && topK < 1) {
            throw new InvalidRequestException("parameters.topK", "must be at least 1, got " + topK);
        }
        finite("parameters.frequencyPenalty", p.frequencyPenalty());
        finite("parameters.presencePenalty", p.presencePenalty());
        List<String> stops = p.stopSequences();
        if (stops != null) {
            for (int i = 0; i < stops.size(); i++) {
                if (stops.get(i) == null || stops.get(i).isEmpty()) {
                    throw new InvalidRequestException("parameters.stopSequences[" + i + "]",
                            "is " + (stops.get(i) == null ? "null" : "empty") + "; remove it");
                }
            }
        }
    }

    private static void nonNegativeFinite(String field, Double value) {
        if (value != null && !(Double.isFinite(value) && value >= 0)) {
            throw new InvalidRequestException(field, "must be a finite number >= 0, got " + value);
        }
    }

    private static void finite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new InvalidRequestException(field, "must be a finite number, got " + value);
        }
    }
}
