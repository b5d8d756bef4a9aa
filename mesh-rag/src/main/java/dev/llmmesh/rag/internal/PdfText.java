package dev.llmmesh.rag.internal;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.parser.apache.pdfbox.ApachePdfBoxDocumentParser;
import java.io.InputStream;

/**
 * Extracts the text of a PDF through langchain4j's PDFBox parser. The parser is an optional dependency: this class is
 * only loaded when a PDF is read, after the caller checked that the parser is on the class path.
 */
public final class PdfText {
    private PdfText() {
    }

    /** The text and the title (empty when the PDF has none). */
    public static HtmlText.Page extract(InputStream in) {
        Document d = new ApachePdfBoxDocumentParser(true).parse(in);
        String title = d.metadata().getString("title");
        return new HtmlText.Page(title == null ? "" : title.strip(), d.text() == null ? "" : d.text());
    }
}
