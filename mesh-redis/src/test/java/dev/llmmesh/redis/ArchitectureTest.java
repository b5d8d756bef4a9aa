package dev.llmmesh.redis;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void redisDependsOnlyOnCoreAndUsesNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.redis");
    }
}
