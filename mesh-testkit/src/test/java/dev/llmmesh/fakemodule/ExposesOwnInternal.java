package dev.llmmesh.fakemodule;

import dev.llmmesh.fakemodule.internal.OwnHelper;
import java.util.List;

/** Architecture-test fixture: an API class whose public signatures name its module's internal type. */
public class ExposesOwnInternal extends OwnHelper {
    public List<OwnHelper> helpers() {
        return List.of();
    }

    protected void use(OwnHelper helper) {
    }

    /** Private and package-private members may use internal types freely. */
    private OwnHelper mine() {
        return new OwnHelper();
    }

    OwnHelper packageOnly() {
        return mine();
    }
}
