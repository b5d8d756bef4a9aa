package dev.llmmesh.agents;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

/** The agents module depends on mesh-core only, and on nobody's internal package. */
class ArchitectureTest {
    @Test
    void agentsDependOnCoreOnlyAndUseNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.agents");
    }
}
