package dev.llmmesh.rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentLoaderTest {

    @Test
    void loadsTextAndMarkdownAsWritten(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "\uFEFFplain notes");
        Files.writeString(dir.resolve("guide.md"), "# Guide\nbody");

        SourceDocument txt = DocumentLoader.load(dir.resolve("notes.txt"));
        SourceDocument md = DocumentLoader.load(dir.resolve("guide.md"));

        assertThat(txt.text()).isEqualTo("plain notes");
        assertThat(txt.id()).isEqualTo("notes.txt");
        assertThat(txt.sourceUri()).startsWith("file:").endsWith("notes.txt");
        assertThat(txt.metadata()).containsEntry("format", "text");
        assertThat(md.text()).isEqualTo("# Guide\nbody");
        assertThat(md.metadata()).containsEntry("format", "markdown");
    }

    @Test
    void reducesHtmlToTextKeepingHeadingsAsMarkdownAndTheTitle() {
        SourceDocument d = DocumentLoader.fromString("page", """
                <html><head><title>Refund policy</title><style>p{color:red}</style></head>
                <body><nav>Home</nav><h1>Refunds</h1><p>Paid in <b>five</b> days.</p>
                <script>alert('x')</script><h2>Partial</h2><ul><li>order id</li><li>amount</li></ul>
                <pre>curl -X POST /refunds</pre></body></html>
                """, DocumentFormat.HTML);

        assertThat(d.metadata()).containsEntry("title", "Refund policy").containsEntry("format", "html");
        assertThat(d.text()).contains("# Refunds\n\nPaid in five days.").contains("## Partial")
                .contains("- order id\n- amount").contains("```\ncurl -X POST /refunds\n```")
                .doesNotContain("alert").doesNotContain("color:red");
        assertThat(Splitter.byHeading(100, 0).split(d)).extracting(TextChunk::heading)
                .contains("Refunds", "Refunds > Partial");
    }

    @Test
    void readsPdfThroughTheLangChain4jPdfBoxParser() throws IOException {
        assertThat(DocumentLoader.pdfSupported()).isTrue();
        byte[] pdf = pdf("Chargebacks must be answered within seven days.");

        SourceDocument d = DocumentLoader.parse("policy.pdf", new ByteArrayInputStream(pdf), DocumentFormat.PDF,
                "file:/policy.pdf");

        assertThat(d.text()).contains("Chargebacks must be answered within seven days.");
        assertThat(d.metadata()).containsEntry("format", "pdf");
    }

    @Test
    void loadsADirectoryRecursivelyWithRelativeIdsSkippingUnknownFiles(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("a.md"), "# A");
        Files.writeString(dir.resolve("sub/b.html"), "<h1>B</h1>");
        Files.writeString(dir.resolve("image.png"), "not text");

        List<SourceDocument> docs = DocumentLoader.loadDirectory(dir);

        assertThat(docs).extracting(SourceDocument::id).containsExactly("a.md", "sub/b.html");
    }

    @Test
    void unknownExtensionsAreRejectedWithTheFix(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("data.bin"), "x");
        assertThatThrownBy(() -> DocumentLoader.load(dir.resolve("data.bin")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".md");
        assertThatThrownBy(() -> DocumentLoader.fromString("x", "%PDF", DocumentFormat.PDF))
                .hasMessageContaining("binary");
    }

    private static byte[] pdf(String line) throws IOException {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                s.beginText();
                s.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                s.newLineAtOffset(72, 700);
                s.showText(line);
                s.endText();
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
}
