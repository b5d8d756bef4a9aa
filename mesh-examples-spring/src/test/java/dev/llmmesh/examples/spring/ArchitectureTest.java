package dev.llmmesh.examples.spring;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

/** The Spring example uses the starter, the providers and the testkit through their public API only. */
class ArchitectureTest {

    @Test
    void springExampleUsesOnlyPublicApis() {
        MeshArchitecture.check("dev.llmmesh.examples.spring", "dev.llmmesh.spring", "dev.llmmesh.testkit",
                "dev.llmmesh.providers");
    }
}
