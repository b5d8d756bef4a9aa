package dev.llmmesh.spring.actuate;

import dev.llmmesh.Mesh;
import dev.llmmesh.routing.HealthSnapshot;
import dev.llmmesh.spring.MeshActivity;
import dev.llmmesh.spring.MeshAutoConfiguration;
import dev.llmmesh.spring.MeshProperties;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator parts for the mesh bean: the {@code llmmesh} health contributor (one {@link ModelHealthIndicator} per
 * model, {@code management.health.llmmesh.enabled}) and the {@code llmmesh} endpoint. Each needs its Actuator module
 * on the class path.
 */
@AutoConfiguration(after = MeshAutoConfiguration.class)
@ConditionalOnBean({Mesh.class, MeshActivity.class})
public class MeshActuatorAutoConfiguration {

    /** The health contributor; its name ({@code llmmesh}) comes from the bean name. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("llmmesh")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "llmmeshHealthContributor")
        CompositeHealthContributor llmmeshHealthContributor(Mesh mesh, MeshProperties properties) {
            Map<String, ModelHealthIndicator> models = new LinkedHashMap<>();
            for (HealthSnapshot h : mesh.health()) {
                models.put(h.modelId(), new ModelHealthIndicator(mesh, h.modelId(),
                        properties.getHealth().getDegradedBelow(), Clock.systemUTC()));
            }
            return CompositeHealthContributor.fromMap(models);
        }
    }

    /** The endpoint. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnAvailableEndpoint(MeshEndpoint.class)
    static class EndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        MeshEndpoint meshEndpoint(Mesh mesh, MeshActivity activity) {
            return new MeshEndpoint(mesh, activity, Clock.systemUTC());
        }
    }
}
