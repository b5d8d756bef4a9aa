package dev.llmmesh.examples;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.llmmesh.BudgetExceededException;
import dev.llmmesh.CallContext;
import dev.llmmesh.Mesh;
import dev.llmmesh.client.ModelDescriptor;
import dev.llmmesh.client.Pricing;
import dev.llmmesh.governance.budget.BudgetConfig;
import dev.llmmesh.governance.budget.BudgetLimit;
import dev.llmmesh.governance.budget.BudgetPlugin;
import dev.llmmesh.governance.budget.BudgetStatus;
import dev.llmmesh.governance.budget.BudgetWindow;
import dev.llmmesh.governance.budget.FileSpendLedger;
import dev.llmmesh.redis.RedisStateStore;
import dev.llmmesh.state.StateStoreUnavailableException;
import dev.llmmesh.testkit.RedisServer;
import dev.llmmesh.testkit.ScriptedLlmClient;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Three meshes (three instances of one service) sharing one Redis: one team budget spent from all three, Redis
 * stopped (budgets refuse calls, none is admitted on unknown state), then Redis flushed and the budget rebuilt from
 * the spend ledger. Starts its own {@code redis-server} on 127.0.0.1 if one is installed.
 *
 * <pre>./mvnw -q -pl mesh-examples -am package -DskipTests -Prun -Dexample=Fleet</pre>
 */
public final class Fleet {
    private Fleet() {
    }

    public static void main(String[] args) throws Exception {
        if (RedisServer.executable().isEmpty()) {
            System.out.println("This example needs a redis-server on this machine; " + RedisServer.INSTALL_HINT);
            return;
        }
        Path ledgerDir = Files.createTempDirectory("mesh-fleet-ledger-");
        try (RedisServer redis = RedisServer.start()) {
            System.out.println("redis-server on " + redis.uri() + " (pid " + redis.pid() + "), ledger in " + ledgerDir);
            List<Mesh> fleet = new ArrayList<>();
            List<BudgetPlugin> budgets = new ArrayList<>();
            List<RedisStateStore> stores = new ArrayList<>();
            for (String instance : List.of("api-1", "api-2", "api-3")) {
                RedisStateStore store = RedisStateStore.builder(redis.uri()).connectTimeout(Duration.ofSeconds(5))
                        .build();
                BudgetPlugin plugin = BudgetPlugin.of(BudgetConfig.builder()
                        .ledger(FileSpendLedger.open(ledgerDir, instance))
                        .limit(BudgetLimit.team("search", BudgetWindow.DAY, new BigDecimal("1.00"))).build());
                stores.add(store);
                budgets.add(plugin);
                fleet.add(Mesh.builder().stateStore(store).addModel(model()).install(plugin).build());
                warmUp(store);
            }
            CallContext search = CallContext.forTeam("search");
            // $10 per million output tokens: max_tokens 10,000 reserves $0.10; the 8,000 used cost $0.08
            ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Summarise the incident."))
                    .maxOutputTokens(10_000).build();

            System.out.println("\n-- one budget for the fleet: team search, $1.00 a day, calls spread over 3 instances");
            int admitted = 0;
            for (int i = 0; i < 15; i++) {
                try {
                    chat(fleet.get(i % 3), request, search);
                    admitted++;
                } catch (BudgetExceededException e) {
                    System.out.println("api-" + (i % 3 + 1) + " refused call " + (i + 1) + ": " + e.getMessage());
                    break;
                }
            }
            for (int i = 0; i < 3; i++) {
                print("api-" + (i + 1) + " sees", budgets.get(i).status(search).get(0));
            }
            System.out.println(admitted + " calls admitted fleet-wide (one instance alone would have stopped at the "
                    + "same total: the limit is the fleet's)");

            System.out.println("\n-- Redis stopped (SIGSTOP) for 2 s: every call bounded by the 50 ms timeout and "
                    + "the store's breaker");
            redis.pause();
            try {
                for (int i = 0; i < 6; i++) {
                    long t0 = System.nanoTime();
                    try {
                        fleet.get(i % 3).chat(request, CallContext.forTeam("search"));
                        System.out.println("admitted?!");
                    } catch (RuntimeException e) {
                        System.out.printf("api-%d: %s after %d ms%n", i % 3 + 1, e.getClass().getSimpleName(),
                                (System.nanoTime() - t0) / 1_000_000);
                    }
                    Thread.sleep(300);
                }
            } finally {
                redis.resume();
            }
            Thread.sleep(1_200); // the breaker probes again after 1 s

            System.out.println("\n-- Redis flushed (all keys lost): the counters are rebuilt from the ledger before "
                    + "admission resumes");
            redis.flushAll();
            print("api-2 sees", budgets.get(1).status(search).get(0));
            for (int i = 0; i < 3; i++) {
                System.out.println("api-" + (i + 1) + ": " + stores.get(i).stats());
            }
            fleet.forEach(Mesh::close);
        }
    }

    /** The first calls of a cold JVM on a busy machine can miss the 50 ms timeout: warm the store up first. */
    private static void warmUp(RedisStateStore store) throws InterruptedException {
        int ok = 0;
        for (int i = 0; i < 500 && ok < 50; i++) {
            try {
                store.getCounter("warmup");
                ok++;
            } catch (StateStoreUnavailableException e) {
                Thread.sleep(20);
            }
        }
    }

    /** A call, tried again when the store timed out (a loaded machine); budgets never admit on unknown state. */
    private static void chat(Mesh mesh, ChatRequest request, CallContext context) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                mesh.chat(request, context);
                return;
            } catch (StateStoreUnavailableException e) {
                if (i == 20) {
                    throw e;
                }
                System.out.println("  (store did not answer in time, call refused; trying again)");
                Thread.sleep(1_100);
            }
        }
    }

    private static void print(String who, BudgetStatus s) {
        System.out.printf("%s %s: spent $%s, reserved $%s, limit $%s%n", who, s.scope(), s.spentUsd().toPlainString(),
                s.reservedUsd().toPlainString(), s.limitUsd().toPlainString());
    }

    private static ScriptedLlmClient model() {
        return ScriptedLlmClient.builder(ModelDescriptor.builder("writer", "simulated", "writer")
                        .contextWindow(128_000).maxOutputTokens(16_000).pricing(Pricing.perMillion(0, 10)).build())
                .byDefault(ScriptedLlmClient.Step.answer("Summary: the cache was cold.").tokens(200, 8_000))
                .build();
    }
}
