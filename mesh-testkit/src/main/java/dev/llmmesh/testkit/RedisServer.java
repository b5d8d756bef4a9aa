package dev.llmmesh.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} (from the OS packages) on 127.0.0.1 on a free port, without persistence
 * ({@code --save '' --appendonly no}), for tests and examples. Faults are real too: {@link #pause()} stops the
 * process with SIGSTOP (connections stay open, nothing answers), {@link #resume()} continues it with SIGCONT, and
 * {@link #flushAll()} loses every key.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisStateStore store = RedisStateStore.builder(redis.uri()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} fails (it does not skip) when {@code redis-server} is not installed, saying how to install it:
 * a test that needs Redis must not pass without it. Thread-safe.
 */
public final class RedisServer implements AutoCloseable {
    /** How to install the server, for error messages. */
    public static final String INSTALL_HINT = "install it with: apt-get install -y redis-server "
            + "(or your OS's redis package); the mesh's CI installs it in .ci/run";

    private final Process process;
    private final int port;
    private final Path dir;
    private final @Nullable String password;

    private RedisServer(Process process, int port, Path dir, @Nullable String password) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.password = password;
    }

    /** The {@code redis-server} executable on the PATH (or in /usr/bin, /usr/local/bin), if installed. */
    public static Optional<Path> executable() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "redis-server"));
                }
            }
        }
        candidates.add(Path.of("/usr/bin/redis-server"));
        candidates.add(Path.of("/usr/local/bin/redis-server"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts a server on a free port and waits until it answers PING.
     *
     * @throws IllegalStateException if {@code redis-server} is not installed or does not start within 10 s
     */
    public static RedisServer start() {
        return start(new String[0]);
    }

    /**
     * As {@link #start()} with more server arguments, e.g. {@code "--requirepass", "pw"}.
     *
     * @throws IllegalStateException if {@code redis-server} is not installed or does not start within 10 s
     */
    public static RedisServer start(String... extraArgs) {
        Path exe = executable().orElseThrow(() -> new IllegalStateException(
                "redis-server is not installed, and this test needs a real one on 127.0.0.1; " + INSTALL_HINT));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                Path dir = Files.createTempDirectory("mesh-redis-");
                List<String> cmd = new ArrayList<>(List.of(exe.toString(), "--port", Integer.toString(port),
                        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
                cmd.addAll(List.of(extraArgs));
                @Nullable String password = null;
                for (int i = 0; i + 1 < extraArgs.length; i++) {
                    if (extraArgs[i].equals("--requirepass")) {
                        password = extraArgs[i + 1];
                    }
                }
                Process p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("redis.log").toFile())
                        .start();
                RedisServer server = new RedisServer(p, port, dir, password);
                if (server.awaitPing(Duration.ofSeconds(10))) {
                    return server;
                }
                server.close();
                last = new IllegalStateException("redis-server on port " + port + " did not answer PING within 10 s"
                        + " (log: " + dir.resolve("redis.log") + ")");
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + exe, e);
            }
        }
        throw last;
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** The process id, for signals. */
    public long pid() {
        return process.pid();
    }

    /** Stops the process (SIGSTOP): its sockets stay open and nothing answers until {@link #resume()}. */
    public void pause() {
        signal("STOP");
    }

    /** Continues a paused process (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    /** Runs FLUSHALL: every key of every database is lost. */
    public void flushAll() {
        command("FLUSHALL");
    }

    /**
     * Sends one command (space-separated words, no quoting) and returns the first reply line, e.g. {@code +OK} or
     * {@code :42}.
     *
     * @throws UncheckedIOException if the server does not answer within 5 s
     */
    public String command(String command) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            if (password != null) {
                out.write(resp(new String[] {"AUTH", password}));
                out.flush();
                in.readLine();
            }
            out.write(resp(command.trim().split("\\s+")));
            out.flush();
            String line = in.readLine();
            if (line != null && line.startsWith("$") && !line.equals("$-1")) {
                return in.readLine();
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + " did not answer " + command, e);
        }
    }

    private static byte[] resp(String[] words) {
        StringBuilder resp = new StringBuilder("*").append(words.length).append("\r\n");
        for (String w : words) {
            resp.append('$').append(w.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(w).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Continues the process if paused, then kills it and deletes its folder. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                signal("CONT");
            } catch (RuntimeException ignored) {
                // it is being killed anyway
            }
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + ", pid " + process.pid() + "]";
    }

    private boolean awaitPing(Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return true;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling redis-server", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
