package dev.llmmesh.fakemodule;

import dev.llmmesh.fakemodule.internal.OwnHelper;

/** Architecture-test fixture: a module class using its own internal package. */
public final class UsesOwnInternal {
    public int help() {
        return new OwnHelper().value();
    }
}
