package dev.llmmesh.governance;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void governanceDependsOnlyOnCoreAndUsesNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.governance");
    }
}
