package dev.llmmesh.examples.spring;

import dev.llmmesh.spring.ai.MeshContextAdvisor;
import dev.llmmesh.spring.ai.MeshSpringAiChatModel;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The example application. Run it with {@code ./mvnw -q -pl mesh-examples-spring -am package -DskipTests -Prun},
 * then {@code curl 'localhost:8080/ask?q=How+long+do+refunds+take&team=support'},
 * {@code curl localhost:8080/actuator/health} and {@code curl localhost:8080/actuator/llmmesh}.
 */
@SpringBootApplication
public class MeshSpringExample {

    /** A Spring AI client over the mesh, with team and user from advisor parameters. */
    @Bean
    ChatClient chatClient(MeshSpringAiChatModel model, MeshContextAdvisor advisor) {
        return ChatClient.builder(model).defaultAdvisors(advisor).build();
    }

    public static void main(String[] args) {
        SpringApplication.run(MeshSpringExample.class, args);
    }
}
