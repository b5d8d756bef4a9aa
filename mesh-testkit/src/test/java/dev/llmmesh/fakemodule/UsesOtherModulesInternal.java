package dev.llmmesh.fakemodule;

/** Architecture-test fixture: a module class using another module's internal package. */
public final class UsesOtherModulesInternal {
    public int value() {
        return new dev.llmmesh.othermodule.internal.Secret().value();
    }
}
