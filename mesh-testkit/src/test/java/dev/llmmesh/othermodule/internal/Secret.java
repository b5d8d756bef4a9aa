package dev.llmmesh.othermodule.internal;

/** Architecture-test fixture: another module's internal class. */
public final class Secret {
    public int value() {
        return 2;
    }
}
