package dev.llmmesh.internal;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Random request ids, without SecureRandom's cost (they identify, they do not protect). */
final class RequestIds {
    private RequestIds() {
    }

    static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong(), r.nextLong()).toString();
    }
}
