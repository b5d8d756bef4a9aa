package dev.llmmesh.agents.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTP/1.1 exchange over a socket the caller already connected to a vetted address. Connecting to the
 * address that was checked (instead of letting a client resolve the name again) closes the DNS-rebinding gap.
 * Sends {@code Connection: close}, never follows redirects, reads at most a given number of body bytes, and bounds
 * the whole exchange, from the first byte sent to the last byte read, by one deadline: every read waits at most for
 * the time left, so a server trickling one byte at a time cannot stretch the call.
 */
public final class PinnedHttp {
    private static final int MAX_HEADER_BYTES = 32 * 1024;
    /** The longest chunk-size line (size plus extensions) accepted; each line has its own allowance. */
    private static final int MAX_CHUNK_LINE = 4 * 1024;

    private PinnedHttp() {
    }

    /**
     * The response.
     *
     * @param status    the status code
     * @param headers   header names in lower case, first value of each
     * @param body      the body, possibly cut
     * @param truncated whether the body was longer than the limit
     */
    public record Response(int status, Map<String, String> headers, byte[] body, boolean truncated) {
    }

    /**
     * Writes one request and reads the response.
     *
     * @param hostHeader   the {@code Host} header value (name, plus port when not the default)
     * @param pathAndQuery the request target, already validated by {@link java.net.URI} parsing
     * @param deadline     the {@link System#nanoTime()} by which the whole response must have been read
     * @throws IOException when the exchange fails, the response is malformed, or the deadline passes
     *                     ({@link SocketTimeoutException})
     */
    public static Response exchange(Socket socket, String method, String hostHeader, String pathAndQuery,
                                    Map<String, String> headers, byte[] body, int maxBodyBytes, long deadline)
            throws IOException {
        StringBuilder req = new StringBuilder();
        req.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
        req.append("Host: ").append(hostHeader).append("\r\n");
        req.append("User-Agent: llm-mesh-agents\r\n");
        req.append("Accept-Encoding: identity\r\n");
        req.append("Connection: close\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            req.append("Content-Length: ").append(body.length).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();

        InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
        int[] budget = {MAX_HEADER_BYTES};
        String statusLine = readLine(in, budget);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("malformed status line");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed status code");
        }
        Map<String, String> respHeaders = new LinkedHashMap<>();
        while (true) {
            String line = readLine(in, budget);
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                respHeaders.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        if (method.equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return new Response(status, respHeaders, new byte[0], false);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean truncated;
        if ("chunked".equalsIgnoreCase(respHeaders.getOrDefault("transfer-encoding", ""))) {
            truncated = readChunked(in, buf, maxBodyBytes);
        } else if (respHeaders.containsKey("content-length")) {
            long len;
            try {
                len = Long.parseLong(respHeaders.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length");
            }
            copy(in, buf, Math.min(len, maxBodyBytes));
            truncated = len > maxBodyBytes;
        } else {
            truncated = copy(in, buf, maxBodyBytes) && in.read() != -1;
        }
        return new Response(status, respHeaders, buf.toByteArray(), truncated);
    }

    /** Copies up to {@code limit} bytes; true if exactly {@code limit} bytes were copied. */
    private static boolean copy(InputStream in, ByteArrayOutputStream out, long limit) throws IOException {
        byte[] b = new byte[8192];
        long left = limit;
        while (left > 0) {
            int n = in.read(b, 0, (int) Math.min(b.length, left));
            if (n < 0) {
                return false;
            }
            out.write(b, 0, n);
            left -= n;
        }
        return true;
    }

    private static boolean readChunked(InputStream in, ByteArrayOutputStream out, int limit) throws IOException {
        while (true) {
            String sizeLine = readLine(in, new int[] {MAX_CHUNK_LINE});
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size");
            }
            if (size == 0) {
                return false;
            }
            long room = limit - out.size();
            if (size > room) {
                copy(in, out, room);
                return true;
            }
            if (!copy(in, out, size)) {
                throw new IOException("truncated chunk");
            }
            readLine(in, new int[] {MAX_CHUNK_LINE});
        }
    }

    /** Reads from a socket, each read waiting at most for the time left before the deadline. */
    private static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInputStream(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("the response did not complete within the tool's timeout");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }

    private static String readLine(InputStream in, int[] budget) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) {
                    throw new IOException("connection closed before the response ended");
                }
                return sb.toString();
            }
            if (--budget[0] < 0) {
                throw new IOException("response headers too large");
            }
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }
}
