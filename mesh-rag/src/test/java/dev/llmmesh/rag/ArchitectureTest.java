package dev.llmmesh.rag;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.llmmesh.testkit.MeshArchitecture;
import org.junit.jupiter.api.Test;

/** The RAG module depends on mesh-core's API only, and its internals do not lean on its API packages. */
class ArchitectureTest {
    private final JavaClasses rag = MeshArchitecture.importModule("dev.llmmesh.rag");

    @Test
    void ragDependsOnlyOnCoreAndUsesNoOtherModulesInternals() {
        MeshArchitecture.check(rag, "dev.llmmesh.rag");
    }

    @Test
    void internalsDoNotDependOnTheApiPackagesAboveThem() {
        noClasses().that().resideInAPackage("dev.llmmesh.rag.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.llmmesh.rag", "dev.llmmesh.rag.retrieve..",
                        "dev.llmmesh.rag.ingest..", "dev.llmmesh.rag.eval..")
                .check(rag);
    }
}
