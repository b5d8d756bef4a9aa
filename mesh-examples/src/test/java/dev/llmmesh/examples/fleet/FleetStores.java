package dev.llmmesh.examples.fleet;

import dev.llmmesh.redis.RedisStateStore;
import dev.llmmesh.testkit.RedisServer;
import java.time.Duration;

/** Stores for functional fleet tests. */
final class FleetStores {
    private FleetStores() {
    }

    /**
     * A store allowing 2 s per call: the machine running the tests may be loaded far beyond its cores, and a timeout
     * there is not what these tests check. The 50 ms default is exercised by the outage scenario.
     */
    static RedisStateStore store(RedisServer redis) {
        return RedisStateStore.builder(redis.uri()).timeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
