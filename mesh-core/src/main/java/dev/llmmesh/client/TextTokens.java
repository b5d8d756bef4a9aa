package dev.llmmesh.client;

/**
 * A script-aware estimate of how many tokens a text is billed as, for when no tokenizer of the model's family is at
 * hand: Latin-script text, digits and ASCII punctuation at one token per four characters (rounded up); CJK
 * ideographs, kana, hangul, bopomofo and CJK punctuation at 1.5 tokens per character; letters of other scripts
 * (Cyrillic, Greek, Arabic, Hebrew, Indic, Thai, ...) and general punctuation at 1.25 per character; characters
 * outside the Basic Multilingual Plane (emoji, rare ideographs are counted as CJK) at 3 each. The rates are at or
 * above what the common BPE tokenizers bill for these scripts (cl100k_base: about 1.0 to 1.2 tokens per Chinese
 * character, o200k_base about 0.7), so the estimate does not fall short because of the script of the text.
 *
 * <p>Use {@link #estimate(CharSequence)} for a whole text, or an instance to add a text that arrives in pieces (a
 * stream): the tally is kept per class of character, so splitting a text does not change its estimate. Instances are
 * not thread-safe.
 */
public final class TextTokens {
    private long latin;
    private long cjk;
    private long other;
    private long astral;

    /** An empty tally. */
    public TextTokens() {
    }

    /** The estimate for {@code text}. */
    public static long estimate(CharSequence text) {
        return new TextTokens().add(text).tokens();
    }

    /** Adds {@code text} to the tally. */
    public TextTokens add(CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (cp < 0x250) {
                latin++;
                continue;
            }
            Character.UnicodeScript s = Character.UnicodeScript.of(cp);
            if (s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                    || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL
                    || s == Character.UnicodeScript.BOPOMOFO) {
                cjk++;
            } else if (cp > 0xFFFF) {
                astral++;
            } else if (s == Character.UnicodeScript.LATIN) {
                latin++;
            } else if (s == Character.UnicodeScript.COMMON || s == Character.UnicodeScript.INHERITED) {
                if (cp >= 0x2E80) {
                    cjk++; // CJK punctuation, fullwidth forms
                } else if (cp >= 0x2000) {
                    other++; // general punctuation, symbols, arrows
                } else {
                    latin++;
                }
            } else {
                other++;
            }
        }
        return this;
    }

    /** The estimated tokens of everything added so far. */
    public long tokens() {
        return (latin + 3) / 4 + (cjk * 3 + 1) / 2 + (other * 5 + 3) / 4 + astral * 3;
    }
}
