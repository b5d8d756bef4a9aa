package dev.llmmesh.fakemodule;

import dev.llmmesh.ErrorKind;
import dev.llmmesh.client.LlmClient;

/** Architecture-test fixture: a module class using only core's API. */
public final class UsesCoreApiOnly {
    public ErrorKind kind(LlmClient client) {
        client.descriptor();
        return ErrorKind.TIMEOUT;
    }
}
