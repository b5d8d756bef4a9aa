package dev.llmmesh;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core knows no module above it, and its public packages do not lean on the internal one. */
class ArchitectureTest {
    private final JavaClasses core = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.llmmesh");

    @Test
    void coreDependsOnNoOtherMeshModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.llmmesh.providers..", "dev.llmmesh.governance..", "dev.llmmesh.rag..",
                        "dev.llmmesh.agents..", "dev.llmmesh.testkit..", "dev.llmmesh.examples..", "dev.llmmesh.bench..")
                .check(core);
    }

    @Test
    void onlyTheBuilderReachesIntoInternal() {
        noClasses().that().resideOutsideOfPackage("dev.llmmesh.internal..")
                .and().doNotHaveSimpleName("MeshBuilder")
                .should().dependOnClassesThat().resideInAPackage("dev.llmmesh.internal..")
                .check(core);
    }

    @Test
    void coreDoesNotDependOnProviderModulesOfLangChain4j() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.langchain4j.model.openai..",
                "dev.langchain4j.model.anthropic..", "dev.langchain4j.model.ollama..").check(core);
    }
}
