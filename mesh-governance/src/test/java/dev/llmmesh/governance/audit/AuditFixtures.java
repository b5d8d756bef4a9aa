package dev.llmmesh.governance.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmmesh.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/** Helpers for audit tests: reading logs, made-up records, an in-memory sink that can go down. */
final class AuditFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditFixtures() {
    }

    /** The records of a {@link FileAuditSink} log, in order. */
    static List<AuditRecord> records(Path log) {
        List<AuditRecord> out = new ArrayList<>();
        for (String line : lines(log)) {
            try {
                out.add(AuditRecord.fromJson(MAPPER.readTree(line).get("record").toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The lines of a file, without newlines. */
    static List<String> lines(Path file) {
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            String s = Files.readString(file, StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>(List.of(s.split("\n", -1)));
            if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A made-up record of call number {@code i}. */
    static AuditRecord record(int i, String team, String model, String costUsd, Instant at) {
        return new AuditRecord("rec-" + i, "req-" + i, at, Duration.ofMillis(120 + i), Optional.of("acme"),
                Optional.of(team), Optional.of("user-" + (i % 3)), Optional.empty(), Optional.empty(),
                Map.of("feature", "search"), false, Optional.empty(), Optional.of(model), Optional.of("fake"),
                List.of(new AuditRecord.AttemptInfo(1, model, Duration.ofMillis(100), Optional.empty(),
                        Optional.empty())),
                Optional.of(new AuditRecord.Routing("balanced", List.of(model), List.of(), 42)),
                List.of(new AuditRecord.Decision("org/pii.email", Verdict.Decision.REDACT, "EMAIL x1",
                        Optional.empty(), AuditRecord.Source.VERDICT)),
                new AuditRecord.Tokens(100 + i, 20 + i, 0, 0), new BigDecimal(costUsd), true, Optional.empty(),
                AuditRecord.Outcome.answered(), new AuditRecord.Content("a".repeat(64), Optional.empty()),
                Optional.of(new AuditRecord.Content("b".repeat(64), Optional.empty())));
    }

    /** A sink in memory: can be down (unavailable), and rejects records matching a predicate for good. */
    static final class MemorySink implements AuditSink {
        final List<AuditEntry> stored = new CopyOnWriteArrayList<>();
        final AtomicBoolean down = new AtomicBoolean();
        private final Predicate<AuditRecord> poison;
        volatile int writes;

        MemorySink(Predicate<AuditRecord> poison) {
            this.poison = poison;
        }

        @Override
        public synchronized void write(List<AuditEntry> entries) {
            writes++;
            if (down.get()) {
                throw AuditSinkException.unavailable("connection refused (test)", null);
            }
            for (int i = 0; i < entries.size(); i++) {
                AuditEntry e = entries.get(i);
                if (poison.test(e.record())) {
                    throw AuditSinkException.rejected(i, "schema violation (test)");
                }
                stored.add(e);
            }
        }
    }
}
