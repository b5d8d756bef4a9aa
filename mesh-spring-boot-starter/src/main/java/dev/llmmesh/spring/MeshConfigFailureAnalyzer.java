package dev.llmmesh.spring;

import dev.llmmesh.config.MeshConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a bad mesh configuration at startup as one message, without the stack trace: the path of the bad value
 * and how to fix it, as {@link dev.llmmesh.config.MeshConfig} wrote it.
 */
final class MeshConfigFailureAnalyzer extends AbstractFailureAnalyzer<MeshConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MeshConfigException cause) {
        return new FailureAnalysis("The LLM Mesh configuration is invalid: " + cause.getMessage(),
                "Fix that value in mesh.yaml (llmmesh.config-location), or under llmmesh. when the mesh is configured "
                        + "by properties (the path " + cause.path() + " is then llmmesh." + cause.path() + ").",
                cause);
    }
}
