package dev.llmmesh.providers.azure;

import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import dev.llmmesh.testkit.SimulatedOpenAiServer.RecordedRequest;
import dev.llmmesh.testkit.SimulatedProvider;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The simulated OpenAI server as an Azure client sees it: key in {@code api-key}, base URL the resource endpoint. */
final class AzureView implements SimulatedProvider {
    final SimulatedOpenAiServer openAi;

    AzureView(SimulatedOpenAiServer openAi) {
        this.openAi = openAi;
    }

    @Override
    public URI baseUrl() {
        return openAi.azureEndpoint();
    }

    @Override
    public int port() {
        return openAi.port();
    }

    @Override
    public SimulatedProvider enqueue(Behavior... behaviors) {
        openAi.enqueue(behaviors);
        return this;
    }

    @Override
    public SimulatedProvider setDefault(Behavior behavior) {
        openAi.setDefault(behavior);
        return this;
    }

    @Override
    public List<RecordedRequest> requests() {
        return openAi.requests();
    }

    @Override
    public List<RecordedRequest> chatRequests() {
        return openAi.chatRequests();
    }

    @Override
    public int requestCount() {
        return openAi.requestCount();
    }

    @Override
    public Optional<RecordedRequest> lastRequest() {
        return openAi.lastRequest();
    }

    @Override
    public int pendingBehaviors() {
        return openAi.pendingBehaviors();
    }

    @Override
    public int clientDisconnects() {
        return openAi.clientDisconnects();
    }

    @Override
    public String keyHeader() {
        return "api-key";
    }

    @Override
    public String keyHeaderValue(String key) {
        return key;
    }

    @Override
    public void close() {
        openAi.close();
    }
}
