package dev.llmmesh.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the bench module on the public API of the modules it measures. */
class ArchitectureTest {
    private static final JavaClasses BENCH = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.llmmesh.bench");

    @Test
    void benchmarksNeverUseAnotherModulesInternalPackage() {
        DescribedPredicate<JavaClass> foreignInternal = DescribedPredicate.describe("an internal package of another module",
                c -> c.getPackageName().startsWith("dev.llmmesh.")
                        && !c.getPackageName().startsWith("dev.llmmesh.bench")
                        && (c.getPackageName().endsWith(".internal") || c.getPackageName().contains(".internal.")));

        noClasses().should().dependOnClassesThat(foreignInternal).check(BENCH);
    }
}
