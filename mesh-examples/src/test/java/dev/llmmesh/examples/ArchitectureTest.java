package dev.llmmesh.examples;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

/** Examples may use every module, but only their public API: no module's internal package. */
class ArchitectureTest {

    @Test
    void examplesUseOnlyPublicApis() {
        MeshArchitecture.check("dev.llmmesh.examples", "dev.llmmesh.providers", "dev.llmmesh.governance", "dev.llmmesh.redis",
                "dev.llmmesh.rag", "dev.llmmesh.agents", "dev.llmmesh.testkit");
    }
}
