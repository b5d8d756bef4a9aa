package dev.llmmesh.fakemodule.internal;

/** Architecture-test fixture: a module's own internal class. */
public class OwnHelper {
    public int value() {
        return 1;
    }
}
