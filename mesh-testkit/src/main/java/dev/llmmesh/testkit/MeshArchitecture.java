package dev.llmmesh.testkit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The module rules of LLM Mesh as ArchUnit rules, for each module's own architecture test:
 * <ol>
 *   <li>a module depends on {@code mesh-core}'s packages ({@link #CORE_PACKAGES}) and its own, never on another
 *       module's packages (providers, governance, rag, agents, testkit, examples, bench, …);</li>
 *   <li>nothing uses another module's {@code internal} packages, core's {@code dev.llmmesh.internal} included;</li>
 *   <li>no public or protected signature of a class outside the {@code internal} packages exposes an
 *       {@code internal} type (supertypes, fields, constructor and method parameters, return types, exceptions,
 *       type arguments included), so internal packages stay out of the API.</li>
 * </ol>
 *
 * <pre>{@code
 * class ArchitectureTest {
 *     @Test
 *     void moduleDependsOnlyOnCoreAndUsesNoOtherInternals() {
 *         MeshArchitecture.check("dev.llmmesh.rag");
 *     }
 * }
 * }</pre>
 *
 * <p>ArchUnit ({@code com.tngtech.archunit:archunit}) must be on the test class path; the testkit declares it as an
 * optional dependency. Stateless and thread-safe.
 */
public final class MeshArchitecture {
    /** The root package every mesh module lives under. */
    public static final String ROOT = "dev.llmmesh";

    /**
     * mesh-core's packages (each with its subpackages, except {@code dev.llmmesh} itself, which is only the root
     * package). {@code dev.llmmesh.internal} is listed because it is core's, but rule 2 still forbids using it.
     */
    public static final List<String> CORE_PACKAGES = List.of(ROOT, ROOT + ".client", ROOT + ".intercept",
            ROOT + ".routing", ROOT + ".catalog", ROOT + ".state", ROOT + ".event", ROOT + ".config",
            ROOT + ".observation", ROOT + ".net", ROOT + ".internal");

    private MeshArchitecture() {
    }

    /**
     * Imports the production classes of the module rooted at {@code modulePackage} (test classes excluded) and checks
     * both rules.
     *
     * @param modulePackage     the module's root package, e.g. {@code dev.llmmesh.rag}
     * @param mayAlsoDependOn   root packages of other modules this module may use (only {@code mesh-examples} and
     *                          {@code mesh-bench} need any)
     * @throws IllegalArgumentException if {@code modulePackage} is not a module root under {@code dev.llmmesh}
     * @throws IllegalStateException    if no production class of that package is on the class path
     * @throws AssertionError           listing every violation
     */
    public static void check(String modulePackage, String... mayAlsoDependOn) {
        JavaClasses classes = importModule(modulePackage);
        check(classes, modulePackage, mayAlsoDependOn);
    }

    /** As {@link #check(String, String...)} on classes imported by the caller. */
    public static void check(JavaClasses classes, String modulePackage, String... mayAlsoDependOn) {
        dependsOnlyOnCore(modulePackage, mayAlsoDependOn).check(classes);
        usesNoOtherModulesInternals(modulePackage).check(classes);
        exposesNoInternalTypes(modulePackage).check(classes);
    }

    /**
     * The production classes of {@code modulePackage} and its subpackages on the class path.
     *
     * @throws IllegalArgumentException if {@code modulePackage} is not a module root under {@code dev.llmmesh}
     * @throws IllegalStateException    if there are none
     */
    public static JavaClasses importModule(String modulePackage) {
        requireModulePackage(modulePackage);
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(modulePackage);
        boolean any = false;
        for (JavaClass c : classes) {
            if (within(c.getPackageName(), modulePackage)) {
                any = true;
                break;
            }
        }
        if (!any) {
            throw new IllegalStateException("no production classes of package " + modulePackage + " on the class "
                    + "path; check the package name and that the module is compiled");
        }
        return classes;
    }

    /**
     * Rule 1: classes of {@code modulePackage} depend on no {@code dev.llmmesh} package other than core's, their own
     * and those in {@code mayAlsoDependOn}.
     *
     * @throws IllegalArgumentException if a package is not a module root under {@code dev.llmmesh}
     */
    public static ArchRule dependsOnlyOnCore(String modulePackage, String... mayAlsoDependOn) {
        requireModulePackage(modulePackage);
        List<String> allowed = new ArrayList<>();
        allowed.add(modulePackage);
        for (String other : mayAlsoDependOn) {
            requireModulePackage(other);
            allowed.add(other);
        }
        DescribedPredicate<JavaClass> foreignModule = DescribedPredicate.describe(
                "reside in a dev.llmmesh module other than core, " + String.join(", ", allowed),
                c -> isForeignModule(c.getPackageName(), allowed));
        return ArchRuleDefinition.noClasses().that().resideInAPackage(modulePackage + "..")
                .should().dependOnClassesThat(foreignModule)
                .because("modules depend on mesh-core only (DESIGN.md §2)");
    }

    /**
     * Rule 2: classes of {@code modulePackage} use no {@code internal} package of another module, core's
     * {@code dev.llmmesh.internal} included.
     *
     * @throws IllegalArgumentException if {@code modulePackage} is not a module root under {@code dev.llmmesh}
     */
    public static ArchRule usesNoOtherModulesInternals(String modulePackage) {
        requireModulePackage(modulePackage);
        DescribedPredicate<JavaClass> foreignInternal = DescribedPredicate.describe(
                "reside in an internal package of another dev.llmmesh module",
                c -> isForeignInternal(c.getPackageName(), modulePackage));
        return ArchRuleDefinition.noClasses().that().resideInAPackage(modulePackage + "..")
                .should().dependOnClassesThat(foreignInternal)
                .because("internal packages are not API; nobody imports another module's internal package");
    }

    /**
     * Rule 3: no public or protected signature of a class of {@code modulePackage} outside its {@code internal}
     * packages mentions an {@code internal} type of any mesh module: not as a supertype, a field, a constructor or
     * method parameter, a return type, a declared exception or a type argument of any of them. Only classes visible
     * outside their package are checked (public classes, and public or protected nested classes of those).
     *
     * @throws IllegalArgumentException if {@code modulePackage} is not a module root under {@code dev.llmmesh}
     */
    public static ArchRule exposesNoInternalTypes(String modulePackage) {
        requireModulePackage(modulePackage);
        return exposesNoInternalTypesIn(modulePackage);
    }

    /** Rule 3 for any package tree, core's {@code dev.llmmesh} included (for core's own architecture test). */
    public static ArchRule exposesNoInternalTypesIn(String rootPackage) {
        Objects.requireNonNull(rootPackage, "rootPackage");
        DescribedPredicate<JavaClass> api = DescribedPredicate.describe("are API (visible outside their package, "
                + "not in an internal package)", MeshArchitecture::isApiClass);
        return ArchRuleDefinition.classes().that().resideInAPackage(rootPackage + "..").and(api)
                .should(new ArchCondition<JavaClass>("expose no internal type in a public or protected signature") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (String v : internalExposures(c)) {
                            events.add(SimpleConditionEvent.violated(c, v));
                        }
                    }
                })
                .allowEmptyShould(true)
                .because("internal packages are not API: a public signature naming an internal type makes it one");
    }

    private static boolean isApiClass(JavaClass c) {
        if (isInternal(c.getPackageName()) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        JavaClass k = c;
        while (true) {
            java.util.Set<JavaModifier> m = k.getModifiers();
            boolean visible = m.contains(JavaModifier.PUBLIC)
                    || (k.getEnclosingClass().isPresent() && m.contains(JavaModifier.PROTECTED));
            if (!visible) {
                return false;
            }
            if (k.getEnclosingClass().isEmpty()) {
                return true;
            }
            k = k.getEnclosingClass().get();
        }
    }

    private static List<String> internalExposures(JavaClass c) {
        List<String> out = new ArrayList<>();
        c.getRawSuperclass().ifPresent(s -> {
            if (isInternalType(s)) {
                out.add(c.getName() + " extends internal " + s.getName());
            }
        });
        for (JavaType t : c.getInterfaces()) {
            for (JavaClass r : t.getAllInvolvedRawTypes()) {
                if (isInternalType(r)) {
                    out.add(c.getName() + " implements internal " + r.getName());
                }
            }
        }
        for (JavaField f : c.getFields()) {
            if (exposed(f.getModifiers())) {
                for (JavaClass r : f.getType().getAllInvolvedRawTypes()) {
                    if (isInternalType(r)) {
                        out.add(f.getFullName() + " has internal type " + r.getName());
                    }
                }
            }
        }
        for (JavaCodeUnit u : c.getCodeUnits()) {
            if (!exposed(u.getModifiers()) || u.getModifiers().contains(JavaModifier.SYNTHETIC)
                    || u.getModifiers().contains(JavaModifier.BRIDGE) || u.getName().equals("<clinit>")) {
                continue;
            }
            if (u instanceof JavaConstructor && c.isEnum()) {
                continue;
            }
            List<JavaType> types = new ArrayList<>();
            types.add(u.getReturnType());
            types.addAll(u.getParameterTypes());
            for (JavaClass e : u.getExceptionTypes()) {
                types.add(e);
            }
            for (JavaType t : types) {
                for (JavaClass r : t.getAllInvolvedRawTypes()) {
                    if (isInternalType(r)) {
                        out.add(u.getFullName() + " exposes internal " + r.getName());
                    }
                }
            }
        }
        return out;
    }

    private static boolean exposed(java.util.Set<JavaModifier> m) {
        return m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED);
    }

    private static boolean isInternalType(JavaClass r) {
        JavaClass base = r.isArray() ? r.getBaseComponentType() : r;
        return within(base.getPackageName(), ROOT) && isInternal(base.getPackageName());
    }

    private static boolean isInternal(String pkg) {
        return Arrays.asList(pkg.split("\\.")).contains("internal");
    }

    static boolean isForeignModule(String pkg, List<String> allowed) {
        if (!within(pkg, ROOT)) {
            return false; // not a mesh package
        }
        if (isCore(pkg)) {
            return false;
        }
        for (String a : allowed) {
            if (within(pkg, a)) {
                return false;
            }
        }
        return true;
    }

    static boolean isForeignInternal(String pkg, String modulePackage) {
        if (!within(pkg, ROOT) || within(pkg, modulePackage)) {
            return false;
        }
        return Arrays.asList(pkg.split("\\.")).contains("internal");
    }

    private static boolean isCore(String pkg) {
        if (pkg.equals(ROOT)) {
            return true;
        }
        for (String core : CORE_PACKAGES) {
            if (!core.equals(ROOT) && within(pkg, core)) {
                return true;
            }
        }
        return false;
    }

    private static boolean within(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private static void requireModulePackage(String modulePackage) {
        Objects.requireNonNull(modulePackage, "modulePackage");
        if (!modulePackage.startsWith(ROOT + ".") || modulePackage.endsWith(".")) {
            throw new IllegalArgumentException("module package must be a module root under " + ROOT
                    + ", e.g. dev.llmmesh.rag; got \"" + modulePackage + "\"");
        }
        if (isCore(modulePackage)) {
            throw new IllegalArgumentException(modulePackage + " is a mesh-core package, not a module root; core has "
                    + "its own architecture rules");
        }
    }
}
