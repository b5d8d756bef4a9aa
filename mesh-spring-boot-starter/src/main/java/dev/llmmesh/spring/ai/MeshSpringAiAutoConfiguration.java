package dev.llmmesh.spring.ai;

import dev.llmmesh.Mesh;
import dev.llmmesh.spring.MeshAutoConfiguration;
import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The mesh as the application's Spring AI {@link ChatModel} when Spring AI ({@code spring-ai-model}) is on the class
 * path and no other Spring AI chat model is defined; with {@code spring-ai-client-chat} also the
 * {@link MeshContextAdvisor} and a {@link ChatClientCustomizer} that adds it to Boot's {@code ChatClient.Builder}.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class,
        beforeName = "org.springframework.ai.model.chat.client.autoconfigure.ChatClientAutoConfiguration")
@ConditionalOnClass(ChatModel.class)
@ConditionalOnBean(Mesh.class)
public class MeshSpringAiAutoConfiguration {

    /** The Spring AI chat model over the mesh. */
    @Bean
    @ConditionalOnMissingBean(ChatModel.class)
    public MeshSpringAiChatModel meshSpringAiChatModel(Mesh mesh) {
        return new MeshSpringAiChatModel(mesh);
    }

    /** Identity from {@code ChatClient} advisor parameters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ChatClientCustomizer.class)
    static class ChatClientParts {
        @Bean
        @ConditionalOnMissingBean
        MeshContextAdvisor meshContextAdvisor() {
            return new MeshContextAdvisor();
        }

        @Bean
        ChatClientCustomizer meshContextAdvisorCustomizer(MeshContextAdvisor advisor) {
            return builder -> builder.defaultAdvisors(advisor);
        }
    }
}
