package dev.llmmesh.governance.audit;

import dev.llmmesh.Secret;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The audit log on the command line:
 * <pre>
 * java -cp ... dev.llmmesh.governance.audit.AuditTool verify audit.jsonl --key-env AUDIT_HMAC_KEY [--checkpoints FILE]
 *     [--anchor FILE]
 * java -cp ... dev.llmmesh.governance.audit.AuditTool costs audit.jsonl [--zone Europe/Paris]
 * </pre>
 * {@code verify} prints {@code OK} or every problem with its line, and exits 0 when the log is intact, 1 when it is
 * not ({@code --anchor} names the {@link FileAuditAnchor} file: then a deleted checkpoint file or a log cut back
 * with its checkpoints is a problem too); {@code costs} prints spend per day, team and model. Usage errors exit 2. The HMAC key is read from the named
 * environment variable, never from the command line (where {@code ps} would show it).
 */
public final class AuditTool {
    static final String USAGE = String.join("\n",
            "usage: AuditTool verify <log> --key-env <ENV_VAR> [--checkpoints <file>] [--anchor <file>]",
            "       AuditTool costs <log> [--zone <zone id, default UTC>]", "");

    private AuditTool() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, System::getenv));
    }

    /**
     * Runs the tool.
     *
     * @param env looks up environment variables (null when unset)
     * @return the exit code: 0 success (log intact), 1 problems found, 2 usage or input error
     */
    public static int run(List<String> args, PrintStream out, PrintStream err, Function<String, String> env) {
        Objects.requireNonNull(args, "args");
        if (args.size() < 2) {
            err.print(USAGE);
            return 2;
        }
        String command = args.get(0);
        Path log = Path.of(args.get(1));
        String keyEnv = null;
        Path checkpoints = null;
        Path anchor = null;
        ZoneId zone = ZoneOffset.UTC;
        for (int i = 2; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size()) {
                err.print("missing value after " + a + "\n" + USAGE);
                return 2;
            }
            String v = args.get(++i);
            switch (a) {
                case "--key-env":
                    keyEnv = v;
                    break;
                case "--checkpoints":
                    checkpoints = Path.of(v);
                    break;
                case "--anchor":
                    anchor = Path.of(v);
                    break;
                case "--zone":
                    try {
                        zone = ZoneId.of(v);
                    } catch (DateTimeException e) {
                        err.print("unknown time zone \"" + v + "\"; use an IANA id such as Europe/Paris\n");
                        return 2;
                    }
                    break;
                default:
                    err.print("unknown option " + a + "\n" + USAGE);
                    return 2;
            }
        }
        if (!Files.isRegularFile(log)) {
            err.print("no audit log at " + log + "\n");
            return 2;
        }
        try {
            switch (command) {
                case "verify":
                    return verify(log, keyEnv, checkpoints, anchor, out, err, env);
                case "costs":
                    out.print(CostReport.fromLog(log, zone).toTable());
                    return 0;
                default:
                    err.print("unknown command " + command + "\n" + USAGE);
                    return 2;
            }
        } catch (UncheckedIOException e) {
            err.print(e.getMessage() + "\n");
            return 2;
        }
    }

    private static int verify(Path log, String keyEnv, Path checkpoints, Path anchor, PrintStream out, PrintStream err,
                              Function<String, String> env) {
        if (keyEnv == null) {
            err.print("verify needs --key-env <ENV_VAR>: the variable holding the checkpoint HMAC key\n" + USAGE);
            return 2;
        }
        Secret key;
        try {
            key = Secret.env(keyEnv, env);
        } catch (IllegalArgumentException e) {
            err.print(e.getMessage() + "\n");
            return 2;
        }
        VerificationReport report = AuditVerifier.verify(log,
                checkpoints != null ? checkpoints : FileAuditSink.defaultCheckpoints(log), key,
                anchor == null ? null : new FileAuditAnchor(anchor));
        out.print(report.toText());
        return report.ok() ? 0 : 1;
    }
}
