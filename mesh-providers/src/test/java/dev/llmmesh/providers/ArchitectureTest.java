package dev.llmmesh.providers;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void providersDependOnlyOnCoreAndUseNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.providers");
    }
}
