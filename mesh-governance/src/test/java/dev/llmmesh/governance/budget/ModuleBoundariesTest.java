package dev.llmmesh.governance.budget;

import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

class ModuleBoundariesTest {

    @Test
    void governanceDependsOnCoreOnlyAndUsesNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.governance");
    }
}
