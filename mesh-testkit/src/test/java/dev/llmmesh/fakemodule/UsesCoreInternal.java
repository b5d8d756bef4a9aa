package dev.llmmesh.fakemodule;

import dev.llmmesh.internal.DefaultMesh;

/** Architecture-test fixture: a module class using core's internal package. */
public final class UsesCoreInternal {
    public String name() {
        return DefaultMesh.class.getName();
    }
}
