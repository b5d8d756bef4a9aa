package dev.llmmesh.rag.internal;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;

/** Reduces HTML to text, keeping headings as Markdown headings so the heading splitter works on it. Stateless. */
public final class HtmlText {
    private static final Set<String> SKIP = Set.of("script", "style", "noscript", "template", "head", "svg",
            "iframe", "object");
    private static final Set<String> BLOCK = Set.of("p", "div", "section", "article", "main", "header", "footer",
            "aside", "nav", "ul", "ol", "table", "thead", "tbody", "tr", "blockquote", "figure", "figcaption",
            "dl", "dt", "dd", "form", "fieldset", "details", "summary", "hr", "address");

    private HtmlText() {
    }

    /** The parsed page: its title ({@code <title>}, else the first {@code <h1>}; may be empty) and its text. */
    public record Page(String title, String text) {
    }

    public static Page convert(String html, String baseUri) {
        Document doc = Jsoup.parse(html, baseUri);
        String title = doc.title().strip();
        if (title.isEmpty()) {
            Element h1 = doc.selectFirst("h1");
            title = h1 == null ? "" : h1.text().strip();
        }
        StringBuilder out = new StringBuilder();
        walk(doc.body() == null ? doc : doc.body(), out);
        return new Page(title, out.toString().strip() + "\n");
    }

    private static void walk(Element element, StringBuilder out) {
        for (Node child : element.childNodes()) {
            if (child instanceof TextNode t) {
                String s = t.text();
                if (!s.isBlank() || (out.length() > 0 && !Character.isWhitespace(out.charAt(out.length() - 1)))) {
                    out.append(s);
                }
            } else if (child instanceof Element e) {
                String tag = e.normalName();
                if (SKIP.contains(tag)) {
                    continue;
                }
                if (tag.length() == 2 && tag.charAt(0) == 'h' && tag.charAt(1) >= '1' && tag.charAt(1) <= '6') {
                    blankLine(out);
                    out.append("#".repeat(tag.charAt(1) - '0')).append(' ').append(e.text().strip());
                    blankLine(out);
                } else if (tag.equals("pre")) {
                    blankLine(out);
                    out.append("```\n").append(e.wholeText().strip()).append("\n```");
                    blankLine(out);
                } else if (tag.equals("br")) {
                    out.append('\n');
                } else if (tag.equals("li")) {
                    newLine(out);
                    out.append("- ");
                    walk(e, out);
                    newLine(out);
                } else if (tag.equals("td") || tag.equals("th")) {
                    walk(e, out);
                    out.append(" | ");
                } else if (BLOCK.contains(tag)) {
                    blankLine(out);
                    walk(e, out);
                    blankLine(out);
                } else {
                    walk(e, out);
                }
            }
        }
    }

    private static void newLine(StringBuilder out) {
        trimTrailingSpaces(out);
        if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
    }

    private static void blankLine(StringBuilder out) {
        newLine(out);
        if (out.length() > 1 && out.charAt(out.length() - 2) != '\n') {
            out.append('\n');
        }
    }

    private static void trimTrailingSpaces(StringBuilder out) {
        while (out.length() > 0 && (out.charAt(out.length() - 1) == ' ' || out.charAt(out.length() - 1) == '\t')) {
            out.setLength(out.length() - 1);
        }
    }
}
