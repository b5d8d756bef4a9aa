package dev.llmmesh.fakemodule;

import dev.llmmesh.testkit.ManualClock;

/** Architecture-test fixture: a module class using another module (testkit). */
public final class UsesOtherModule {
    public ManualClock clock() {
        return new ManualClock();
    }
}
