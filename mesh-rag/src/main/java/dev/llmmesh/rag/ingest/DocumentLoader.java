package dev.llmmesh.rag.ingest;

import dev.llmmesh.rag.internal.HtmlText;
import dev.llmmesh.rag.internal.PdfText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads plain text, Markdown, HTML and PDF into {@link SourceDocument}s. HTML is reduced to text with its headings
 * kept as Markdown headings and its {@code <title>} as the {@code title} metadata; PDF goes through langchain4j's
 * PDFBox parser, an optional dependency ({@code dev.langchain4j:langchain4j-document-parser-apache-pdfbox}). Every
 * document gets a {@code format} metadata entry. Stateless and thread-safe.
 */
public final class DocumentLoader {
    private static final String PDF_PARSER =
            "dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser";

    private DocumentLoader() {
    }

    /**
     * Loads one file; its id is its file name and its source URI its absolute path.
     *
     * @throws IllegalArgumentException if the extension is not one of .txt, .md, .markdown, .html, .htm, .pdf
     * @throws UncheckedIOException if the file cannot be read
     */
    public static SourceDocument load(Path file) {
        return load(file, file.getFileName().toString());
    }

    /**
     * Loads one file under {@code id}.
     *
     * @throws IllegalArgumentException if the extension is not one of .txt, .md, .markdown, .html, .htm, .pdf
     * @throws UncheckedIOException if the file cannot be read
     */
    public static SourceDocument load(Path file, String id) {
        DocumentFormat format = DocumentFormat.fromFileName(file.getFileName().toString())
                .orElseThrow(() -> new IllegalArgumentException("cannot tell the format of " + file
                        + "; name it .txt, .md, .html or .pdf, or call parse(..) with a DocumentFormat"));
        try (InputStream in = Files.newInputStream(file)) {
            return parse(id, in, format, file.toAbsolutePath().toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads every file with a known extension under {@code directory} (recursively, in path order); each id is the
     * path relative to {@code directory}, with {@code /} separators.
     *
     * @throws UncheckedIOException if the directory cannot be listed or a file cannot be read
     */
    public static List<SourceDocument> loadDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(directory + " is not a directory");
        }
        List<SourceDocument> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                if (DocumentFormat.fromFileName(f.getFileName().toString()).isPresent()) {
                    out.add(load(f, directory.relativize(f).toString().replace('\\', '/')));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + directory + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Parses {@code in} as {@code format}. The stream is read to its end, not closed.
     *
     * @throws IllegalStateException if {@code format} is PDF and the PDFBox parser is not on the class path
     * @throws UncheckedIOException if the stream cannot be read
     */
    public static SourceDocument parse(String id, InputStream in, DocumentFormat format, String sourceUri) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(format, "format");
        Map<String, String> meta = new HashMap<>();
        meta.put("format", format.name().toLowerCase(java.util.Locale.ROOT));
        String text;
        try {
            switch (format) {
                case TEXT, MARKDOWN -> text = stripBom(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                case HTML -> {
                    HtmlText.Page page = HtmlText.convert(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            sourceUri);
                    text = page.text();
                    if (!page.title().isEmpty()) {
                        meta.put("title", page.title());
                    }
                }
                case PDF -> {
                    if (!pdfSupported()) {
                        throw new IllegalStateException("reading PDF needs dev.langchain4j:"
                                + "langchain4j-document-parser-apache-pdfbox on the class path; add it to your build");
                    }
                    HtmlText.Page page = PdfText.extract(new ByteArrayInputStream(in.readAllBytes()));
                    text = page.text();
                    if (!page.title().isEmpty()) {
                        meta.put("title", page.title());
                    }
                }
                default -> throw new IllegalArgumentException("unsupported format " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read document \"" + id + "\": " + e.getMessage(), e);
        }
        return new SourceDocument(id, text, sourceUri, meta);
    }

    /** A document from a string, parsed as {@code format} (HTML is converted; PDF is not accepted as a string). */
    public static SourceDocument fromString(String id, String content, DocumentFormat format) {
        if (format == DocumentFormat.PDF) {
            throw new IllegalArgumentException("a PDF is binary; use parse(id, inputStream, PDF, uri)");
        }
        return parse(id, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), format, "");
    }

    /** Whether the optional PDF parser is on the class path. */
    public static boolean pdfSupported() {
        try {
            Class.forName(PDF_PARSER, false, DocumentLoader.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }
}
