package dev.llmmesh.spring;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void starterDependsOnlyOnCoreAndUsesNoInternals() {
        MeshArchitecture.check("dev.llmmesh.spring");
    }
}
