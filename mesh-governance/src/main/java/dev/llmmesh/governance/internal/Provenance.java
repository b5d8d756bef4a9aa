package dev.llmmesh.governance.internal;

import dev.llmmesh.DataClass;
import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiSource;
import dev.llmmesh.governance.pii.PiiSpan;
import dev.llmmesh.governance.pii.PiiVault;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Restore with provenance: which source each detected value comes from, which placeholders may be put back in the
 * answer (values the caller sent in its own user messages, plus opted-in sources) and in a tool call's arguments
 * (the same, and only for tools allowed the value's data class), and the neutralising of placeholder look-alikes in
 * the input. Immutable and thread-safe.
 */
public final class Provenance {
    /**
     * Where mesh-rag's sources block starts in an augmented user message: retrieved chunks follow the question inside
     * {@code <sources>...</sources>}, and a chunk can neither open nor close that element (its own tags are escaped),
     * so the last such block of a user message is the retrieved part.
     */
    static final String SOURCES_OPEN = "\n<sources>\n";
    static final String SOURCES_CLOSE = "</sources>";
    /** The policy id of restore refusals and look-alike rewrites. */
    public static final String RESTORE_POLICY = "governance/pii.restore";
    /** The policy id of tool-argument refusals. */
    public static final String TOOLS_POLICY = "governance/pii.tools";

    private final Set<PiiSource> restoreFrom;
    private final Map<String, DataClass> toolClasses;
    private final Pattern lookAlike;

    public Provenance(Set<PiiSource> restoreFrom, Map<String, DataClass> toolClasses, Collection<EntityType> types) {
        EnumSet<PiiSource> from = EnumSet.of(PiiSource.USER);
        from.addAll(restoreFrom);
        this.restoreFrom = Set.copyOf(from);
        this.toolClasses = Map.copyOf(toolClasses);
        Set<String> names = new LinkedHashSet<>();
        for (EntityType t : types) {
            names.add(t.name());
        }
        for (EntityType t : java.util.List.of(EntityType.EMAIL, EntityType.PHONE, EntityType.CREDIT_CARD,
                EntityType.IBAN, EntityType.US_SSN, EntityType.IP_ADDRESS, EntityType.API_KEY,
                EntityType.URL_CREDENTIALS, EntityType.DATE_OF_BIRTH, EntityType.PERSON)) {
            names.add(t.name());
        }
        String alternatives = names.stream().sorted((a, b) -> b.length() - a.length())
                .map(n -> Pattern.quote(n).replace("_", "\\E[\\s_\\-]*\\Q"))
                .collect(Collectors.joining("|"));
        // "<", optional spaces, a type name in any case with _, - or spaces between its words, then anything but
        // angle brackets up to ">": <EMAIL_1>, < email 01 >, <Credit-Card_2_x>, <EMAIL>, <EMAIL#ab12>
        this.lookAlike = Pattern.compile("<\\s*(?:" + alternatives + ")(?![\\p{L}])[^<>\\n]{0,40}>",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The sources restore may draw from: always {@link PiiSource#USER}, plus the opted-in ones. */
    public Set<PiiSource> restoreFrom() {
        return restoreFrom;
    }

    /** The source of a span of a text of {@code role}. */
    static PiiSource sourceOf(Messages.Role role, String text, PiiSpan span) {
        return switch (role) {
            case SYSTEM -> PiiSource.SYSTEM;
            case TOOL_RESULT -> PiiSource.TOOL_RESULT;
            case AI, TOOL_ARGUMENTS -> PiiSource.ASSISTANT;
            case USER -> inRetrievedSources(text, span) ? PiiSource.RETRIEVED : PiiSource.USER;
        };
    }

    static boolean inRetrievedSources(String text, PiiSpan span) {
        int open = text.lastIndexOf(SOURCES_OPEN);
        if (open < 0) {
            return false;
        }
        int close = text.indexOf(SOURCES_CLOSE, open);
        int end = close < 0 ? text.length() : close;
        return span.start() >= open && span.start() < end;
    }

    /** Whether the answer's text may get this entry's value back. */
    boolean restorable(PiiVault.Entry e) {
        for (PiiSource s : e.sources()) {
            if (restoreFrom.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** The highest data class a tool may receive in its arguments; {@link DataClass#PUBLIC} when not configured. */
    DataClass toolClass(String tool) {
        DataClass c = toolClasses.get(tool);
        if (c == null) {
            c = toolClasses.get("*");
        }
        return c == null ? DataClass.PUBLIC : c;
    }

    /** Why {@code tool}'s arguments may not get this entry's value back, or empty if they may. */
    Optional<String> toolRefusal(String tool, PiiVault.Entry e) {
        if (!restorable(e)) {
            return Optional.of(sourceRefusal(e));
        }
        DataClass c = toolClass(tool);
        if (!c.admits(e.type().sensitivity())) {
            return Optional.of("tool " + tool + " may receive data up to " + name(c) + " and "
                    + e.type().configName() + " is " + name(e.type().sensitivity())
                    + " (allow it with governance.pii.tools." + tool + ")");
        }
        return Optional.empty();
    }

    /** Why the answer may not get this entry's value back. */
    String sourceRefusal(PiiVault.Entry e) {
        String from = e.sources().stream().sorted().map(PiiSource::description).collect(Collectors.joining(" and "));
        return "it came from " + from + ", not from the caller's user messages (opt in with "
                + "governance.pii.restoreFrom)";
    }

    /**
     * {@code text} with every placeholder look-alike ({@code <EMAIL_1>}, {@code < email 01 >}, {@code <EMAIL>}, ...)
     * defused by turning its angle brackets into {@code ‹ ›}, so neither the model nor restore can take it for a real
     * placeholder; the count of rewrites is added to {@code counter[0]}.
     */
    String neutralize(String text, int[] counter) {
        if (text.indexOf('<') < 0) {
            return text;
        }
        Matcher m = lookAlike.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        int copied = 0;
        do {
            String found = m.group();
            b.append(text, copied, m.start()).append('\u2039').append(found, 1, found.length() - 1).append('\u203A');
            copied = m.end();
            counter[0]++;
        } while (m.find());
        return b.append(text, copied, text.length()).toString();
    }

    private static String name(DataClass c) {
        return c.name().toLowerCase(java.util.Locale.ROOT);
    }
}
