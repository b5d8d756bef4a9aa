package dev.llmmesh.rag.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitterTest {

    @Test
    void byHeadingCutsAtEachSectionAndRecordsTheHeadingPath() {
        SourceDocument doc = SourceDocument.of("guide.md", """
                Intro before any heading.

                # Guide
                ## Setup
                Install the tool.
                ### Linux
                Use the package manager.
                ## Usage
                Run it.
                """);

        List<TextChunk> chunks = Splitter.byHeading(200, 10).split(doc);

        assertThat(chunks).extracting(TextChunk::heading)
                .containsExactly("", "Guide > Setup", "Guide > Setup > Linux", "Guide > Usage");
        assertThat(chunks.get(1).text()).isEqualTo("## Setup\nInstall the tool.");
        assertThat(chunks).allSatisfy(c -> assertThat(doc.text().substring(c.start(), c.end())).isEqualTo(c.text()));
    }

    @Test
    void headingsInsideCodeFencesAreNotSections() {
        SourceDocument doc = SourceDocument.of("d", """
                # Shell
                ```
                # this is a comment, not a heading
                echo hi
                ```
                """);

        List<TextChunk> chunks = Splitter.byHeading(200, 0).split(doc);

        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).text()).contains("# this is a comment");
    }

    @Test
    void longSectionsAreCutByTokensWithOverlapAndKeepTheirHeading() {
        String body = "word ".repeat(100);
        SourceDocument doc = SourceDocument.of("d", "# Long\n" + body);

        List<TextChunk> chunks = Splitter.byHeading(30, 5).split(doc);

        assertThat(chunks).hasSizeGreaterThan(3).allSatisfy(c -> {
            assertThat(c.heading()).isEqualTo("Long");
            assertThat(TokenCounter.approximate().count(c.text())).isLessThanOrEqualTo(30);
        });
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).start()).isLessThan(chunks.get(i - 1).end());
        }
        assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(doc.text().stripTrailing().length());
    }

    @Test
    void byTokensPrefersToCutAtTheEndOfASentence() {
        SourceDocument doc = SourceDocument.of("d", "One two three four five six. Seven eight nine ten eleven twelve");

        List<TextChunk> chunks = Splitter.byTokens(10, 0).split(doc);

        assertThat(chunks.get(0).text()).isEqualTo("One two three four five six.");
        assertThat(chunks.get(1).text()).startsWith("Seven");
    }

    @Test
    void wholeKeepsTheDocumentAsOneChunkWithItsHeadingMetadata() {
        SourceDocument doc = new SourceDocument("d", "\n  Some text \n", "", Map.of("heading", "Intro"));

        assertThat(Splitter.whole().split(doc)).containsExactly(new TextChunk("Some text", "Intro", 3, 12));
        assertThat(Splitter.whole().split(SourceDocument.of("blank", "  \n"))).isEmpty();
    }

    @Test
    void invalidSettingsAreRejectedWithTheirNames() {
        assertThatThrownBy(() -> Splitter.byTokens(0, 0)).hasMessageContaining("maxTokens");
        assertThatThrownBy(() -> Splitter.byHeading(10, 10)).hasMessageContaining("overlapTokens");
    }
}
