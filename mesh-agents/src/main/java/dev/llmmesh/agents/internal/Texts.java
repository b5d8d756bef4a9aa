package dev.llmmesh.agents.internal;

/** Small text helpers. */
public final class Texts {
    private Texts() {
    }

    /** {@code s} cut to {@code max} characters, with an ellipsis when cut. */
    public static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
