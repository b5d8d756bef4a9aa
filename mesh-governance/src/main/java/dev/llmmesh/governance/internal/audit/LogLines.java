package dev.llmmesh.governance.internal.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The byte-exact text of audit log lines and checkpoint lines, shared by the writer and the verifier. Stateless.
 */
public final class LogLines {
    /** What a checkpoint's MAC covers, before the sequence, hash and time. */
    static final String CHECKPOINT_DOMAIN = "llm-mesh-audit-checkpoint/v1";
    private static final Pattern HASH_SUFFIX = Pattern.compile(",\"hash\":\"([0-9a-f]{64})\"}$");

    private LogLines() {
    }

    /** A chained log line for {@code recordJson}. */
    public static String line(long seq, String outbox, long oseq, String prev, String recordJson) {
        String body = "{\"seq\":" + seq + ",\"outbox\":\"" + outbox + "\",\"oseq\":" + oseq + ",\"prev\":\"" + prev
                + "\",\"record\":" + recordJson + "}";
        return body.substring(0, body.length() - 1) + ",\"hash\":\"" + Hashes.sha256(body) + "\"}";
    }

    /** The text the line's hash covers: the line without its hash field; empty if the line has none. */
    public static Optional<String> bodyOf(String line) {
        Matcher m = HASH_SUFFIX.matcher(line);
        return m.find() ? Optional.of(line.substring(0, m.start()) + "}") : Optional.empty();
    }

    /** The hash a line claims; empty if it has none. */
    public static Optional<String> hashOf(String line) {
        Matcher m = HASH_SUFFIX.matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A signed checkpoint line: the log was {@code seq} records long, the last with hash {@code hash}. */
    public static String checkpoint(long seq, String hash, Instant at, byte[] key) {
        return "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\",\"at\":\"" + at + "\",\"mac\":\""
                + mac(seq, hash, at.toString(), key) + "\"}";
    }

    /** The MAC of a checkpoint's fields. */
    public static String mac(long seq, String hash, String at, byte[] key) {
        return Hashes.hmac(key, CHECKPOINT_DOMAIN + "|" + seq + "|" + hash + "|" + at);
    }

    /**
     * Cuts bytes after the last newline (a line torn by a crash) off the end of {@code file}.
     *
     * @return whether anything was cut
     */
    public static boolean repairTail(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long len = f.length();
            long keep = lastNewlineEnd(f, len);
            if (keep < len) {
                f.setLength(keep);
                return true;
            }
            return false;
        }
    }

    /** The last complete line of {@code file} (without its newline), or null if it has none. */
    public static @Nullable String lastLine(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long end = lastNewlineEnd(f, f.length());
            if (end == 0) {
                return null;
            }
            long start = lastNewlineEnd(f, end - 1);
            byte[] bytes = new byte[(int) (end - 1 - start)];
            f.seek(start);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** The offset just after the last {@code \n} before {@code limit}; 0 if there is none. */
    private static long lastNewlineEnd(RandomAccessFile f, long limit) throws IOException {
        byte[] buf = new byte[8192];
        long pos = limit;
        while (pos > 0) {
            int n = (int) Math.min(buf.length, pos);
            f.seek(pos - n);
            f.readFully(buf, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }

    /** Reads {@code file} fully as bytes (for tests and small files). */
    static byte[] readAll(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE, f.length()));
            byte[] buf = new byte[65_536];
            int n;
            while ((n = f.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
