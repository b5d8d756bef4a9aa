package dev.llmmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.llmmesh.fakemodule.ExposesOwnInternal;
import dev.llmmesh.fakemodule.UsesCoreApiOnly;
import dev.llmmesh.fakemodule.UsesCoreInternal;
import dev.llmmesh.fakemodule.UsesOtherModule;
import dev.llmmesh.fakemodule.UsesOtherModulesInternal;
import dev.llmmesh.fakemodule.internal.OwnHelper;
import dev.llmmesh.fakemodule.UsesOwnInternal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshArchitectureTest {

    @Test
    void testkitDependsOnlyOnCoreAndUsesNoOtherModulesInternals() {
        MeshArchitecture.check("dev.llmmesh.testkit");
    }

    private static JavaClasses classes(Class<?>... types) {
        return new ClassFileImporter().importClasses(types);
    }

    @Test
    void coreApiAndOwnInternalsAreAllowed() {
        JavaClasses ok = classes(UsesCoreApiOnly.class, UsesOwnInternal.class, OwnHelper.class);

        assertThat(MeshArchitecture.dependsOnlyOnCore("dev.llmmesh.fakemodule").evaluate(ok).hasViolation()).isFalse();
        assertThat(MeshArchitecture.usesNoOtherModulesInternals("dev.llmmesh.fakemodule").evaluate(ok).hasViolation())
                .isFalse();
    }

    @Test
    void internalTypesInPublicOrProtectedSignaturesAreViolationsPrivateUseIsNot() {
        JavaClasses ok = classes(UsesOwnInternal.class, OwnHelper.class);
        assertThat(MeshArchitecture.exposesNoInternalTypes("dev.llmmesh.fakemodule").evaluate(ok).hasViolation())
                .isFalse();

        List<String> details = MeshArchitecture.exposesNoInternalTypes("dev.llmmesh.fakemodule")
                .evaluate(classes(ExposesOwnInternal.class, OwnHelper.class)).getFailureReport().getDetails();
        assertThat(String.join("\n", details))
                .contains("ExposesOwnInternal extends internal dev.llmmesh.fakemodule.internal.OwnHelper")
                .contains("ExposesOwnInternal.helpers() exposes internal")
                .contains("ExposesOwnInternal.use(dev.llmmesh.fakemodule.internal.OwnHelper) exposes internal")
                .doesNotContain("mine()").doesNotContain("packageOnly()");
        assertThatThrownBy(() -> MeshArchitecture.check(classes(ExposesOwnInternal.class, OwnHelper.class),
                "dev.llmmesh.fakemodule")).isInstanceOf(AssertionError.class).hasMessageContaining("helpers()");
    }

    @Test
    void dependencyOnAnotherModuleIsAViolation() {
        JavaClasses bad = classes(UsesOtherModule.class);

        assertThatThrownBy(() -> MeshArchitecture.check(bad, "dev.llmmesh.fakemodule"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("UsesOtherModule")
                .hasMessageContaining("dev.llmmesh.testkit.ManualClock");
    }

    @Test
    void anotherModuleMayBeAllowedExplicitly() {
        JavaClasses examples = classes(UsesOtherModule.class);

        MeshArchitecture.check(examples, "dev.llmmesh.fakemodule", "dev.llmmesh.testkit");
    }

    @Test
    void coreInternalIsAViolation() {
        JavaClasses bad = classes(UsesCoreInternal.class);

        assertThat(MeshArchitecture.dependsOnlyOnCore("dev.llmmesh.fakemodule").evaluate(bad).hasViolation()).isFalse();
        assertThat(MeshArchitecture.usesNoOtherModulesInternals("dev.llmmesh.fakemodule").evaluate(bad)
                .getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains("dev.llmmesh.internal"));
    }

    @Test
    void anotherModulesInternalIsAViolationEvenWhenTheModuleIsAllowed() {
        JavaClasses bad = classes(UsesOtherModulesInternal.class);

        assertThatThrownBy(() -> MeshArchitecture.check(bad, "dev.llmmesh.fakemodule", "dev.llmmesh.othermodule"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dev.llmmesh.othermodule.internal");
    }

    @Test
    void corePackagesAndNonMeshPackagesAreNotModuleRoots() {
        for (String bad : List.of("dev.llmmesh", "dev.llmmesh.client", "dev.llmmesh.internal", "com.example",
                "dev.llmmesh.")) {
            assertThatThrownBy(() -> MeshArchitecture.dependsOnlyOnCore(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void unknownModulePackageFailsLoudlyInsteadOfPassingEmpty() {
        assertThatThrownBy(() -> MeshArchitecture.check("dev.llmmesh.doesnotexist"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.llmmesh.doesnotexist");
    }
}
