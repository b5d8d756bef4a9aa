package dev.llmmesh.governance.internal.audit;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/** Reads complete ({@code \n}-terminated) UTF-8 lines from a file, from an offset. Not thread-safe. */
public final class LineReader implements Closeable {
    private final RandomAccessFile file;
    private final long length;
    private final byte[] buf = new byte[65_536];
    private long bufStart;
    private int bufLen;
    private int bufPos;
    private long position;

    public LineReader(Path path, long offset) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "r");
        this.length = file.length();
        this.bufStart = offset;
        this.position = offset;
    }

    /** The byte offset just after the last line returned. */
    public long position() {
        return position;
    }

    /** The next complete line without its newline, or null at the end (an unterminated tail is not returned). */
    public @Nullable String next() throws IOException {
        ByteArrayOutputStream partial = null;
        while (true) {
            for (int i = bufPos; i < bufLen; i++) {
                if (buf[i] == '\n') {
                    String line;
                    if (partial == null) {
                        line = new String(buf, bufPos, i - bufPos, StandardCharsets.UTF_8);
                    } else {
                        partial.write(buf, bufPos, i - bufPos);
                        line = partial.toString(StandardCharsets.UTF_8);
                    }
                    bufPos = i + 1;
                    position = bufStart + bufPos;
                    return line;
                }
            }
            if (bufPos < bufLen) {
                if (partial == null) {
                    partial = new ByteArrayOutputStream();
                }
                partial.write(buf, bufPos, bufLen - bufPos);
            }
            long nextStart = bufStart + bufLen;
            if (nextStart >= length) {
                return null;
            }
            file.seek(nextStart);
            int n = file.read(buf, 0, (int) Math.min(buf.length, length - nextStart));
            if (n <= 0) {
                return null;
            }
            bufStart = nextStart;
            bufLen = n;
            bufPos = 0;
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** The file's length when it was opened. */
    public long length() {
        return length;
    }
}
