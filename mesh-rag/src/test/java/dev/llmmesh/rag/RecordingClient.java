package dev.llmmesh.rag;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmmesh.client.LlmClient;
import dev.llmmesh.client.ModelDescriptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An in-process model: answers with a function of the request and records every request it sees. Thread-safe. */
public final class RecordingClient implements LlmClient {
    private final ModelDescriptor descriptor;
    private final Function<ChatRequest, String> answer;
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    public RecordingClient(String id, Function<ChatRequest, String> answer) {
        this.descriptor = ModelDescriptor.builder(id, "test", id).build();
        this.answer = answer;
    }

    /** A model that answers "See [1]." to everything. */
    public static RecordingClient citingFirstSource() {
        return new RecordingClient("in-process", r -> "See [1].");
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        requests.add(request);
        return ChatResponse.builder().aiMessage(AiMessage.from(answer.apply(request))).build();
    }

    public List<ChatRequest> requests() {
        return requests;
    }

    /** The text of the last user message of the last request. */
    public String lastUserText() {
        ChatRequest r = requests.get(requests.size() - 1);
        return UserMessage.findLast(r.messages()).orElseThrow().singleText();
    }
}
