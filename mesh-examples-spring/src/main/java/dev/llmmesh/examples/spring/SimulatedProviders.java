package dev.llmmesh.examples.spring;

import dev.llmmesh.testkit.SimulatedOpenAiServer;
import dev.llmmesh.testkit.SimulatedOpenAiServer.Behavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts two simulated OpenAI-compatible providers on 127.0.0.1 before the mesh is built, and stops them with the
 * application: {@code primary} is down (every call answers HTTP 500), {@code backup} answers. Their URLs reach
 * {@code mesh.yaml} as {@code SIM_PRIMARY_URL} and {@code SIM_BACKUP_URL}. Off with {@code example.simulated=false}.
 * Registered in {@code META-INF/spring.factories}; one instance per application run.
 */
public final class SimulatedProviders implements ApplicationListener<ApplicationEvent> {
    /** What the backup provider answers. */
    public static final String ANSWER = "Refunds take 5 business days.";

    private final List<SimulatedOpenAiServer> servers = new ArrayList<>();

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            start(prepared.getEnvironment());
        } else if (event instanceof ContextClosedEvent) {
            stop();
        }
    }

    private synchronized void start(ConfigurableEnvironment environment) {
        if (!servers.isEmpty() || !environment.getProperty("example.simulated", Boolean.class, true)) {
            return;
        }
        SimulatedOpenAiServer primary = SimulatedOpenAiServer.builder().defaultBehavior(Behavior.status(500)).start();
        SimulatedOpenAiServer backup = SimulatedOpenAiServer.builder().defaultAnswer(ANSWER).start();
        servers.add(primary);
        servers.add(backup);
        environment.getPropertySources().addLast(new MapPropertySource("simulatedProviders", Map.of(
                "SIM_PRIMARY_URL", primary.baseUrl().toString(), "SIM_BACKUP_URL", backup.baseUrl().toString())));
    }

    private synchronized void stop() {
        servers.forEach(SimulatedOpenAiServer::close);
        servers.clear();
    }
}
