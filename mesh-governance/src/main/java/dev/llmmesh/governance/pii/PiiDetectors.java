package dev.llmmesh.governance.pii;

import dev.llmmesh.governance.internal.BuiltInDetector;
import dev.llmmesh.governance.internal.PersonNameDetector;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Factories for the built-in detectors and simple custom ones. Every detector returned is thread-safe. */
public final class PiiDetectors {
    private PiiDetectors() {
    }

    /**
     * The built-in detectors for every built-in type except {@link EntityType#PERSON}: e-mail, phone, payment card
     * (Luhn), IBAN (mod-97), US SSN, IPv4/IPv6, API keys and secrets, URL credentials and dates of birth, as one
     * single-pass scanner.
     */
    public static PiiDetector builtIn() {
        Set<EntityType> all = new LinkedHashSet<>(EntityType.BUILT_IN);
        all.remove(EntityType.PERSON);
        return new BuiltInDetector(all);
    }

    /**
     * The built-in detectors restricted to {@code types}.
     *
     * @throws IllegalArgumentException if a type is not built in, or is {@link EntityType#PERSON} (use
     *                                  {@link #personNames()})
     */
    public static PiiDetector builtIn(Set<EntityType> types) {
        for (EntityType t : types) {
            if (!EntityType.BUILT_IN.contains(t) || t.equals(EntityType.PERSON)) {
                throw new IllegalArgumentException("not a built-in scanner type: " + t
                        + (t.equals(EntityType.PERSON) ? "; use PiiDetectors.personNames()" : ""));
            }
        }
        return new BuiltInDetector(types);
    }

    /**
     * The opt-in pattern detectors for every {@link EntityType#EXTENDED} type: general dates and times, ages, postal
     * codes, domain names, US driver's licences and street addresses. Less precise than the checksum-backed
     * defaults, hence opt-in.
     */
    public static PiiDetector extended() {
        return new dev.llmmesh.governance.internal.ExtendedDetector(new LinkedHashSet<>(EntityType.EXTENDED));
    }

    /**
     * The opt-in pattern detectors restricted to {@code types}.
     *
     * @throws IllegalArgumentException if a type is not one of {@link EntityType#EXTENDED}
     */
    public static PiiDetector extended(Set<EntityType> types) {
        return new dev.llmmesh.governance.internal.ExtendedDetector(types);
    }

    /**
     * A dictionary-based person-name detector: a capitalised first name from a built-in list of about 600
     * international first names (or a lower-case one that is not also a common word), optionally followed by a
     * surname, and any name after a title (Mr, Ms, Dr...) or "my name is". Opt-in: recall is limited to names in the
     * dictionary; plug in an NER-backed {@link PiiDetector} for better recall.
     */
    public static PiiDetector personNames() {
        return PersonNameDetector.withDefaultDictionary();
    }

    /** As {@link #personNames()}, with your own first-name dictionary (matched case-insensitively). */
    public static PiiDetector personNames(Set<String> firstNames) {
        return new PersonNameDetector(firstNames);
    }

    /**
     * A detector reporting every match of {@code pattern} as {@code type}. The pattern runs on user text, so keep it
     * linear (no nested quantifiers).
     */
    public static PiiDetector regex(EntityType type, Pattern pattern) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(pattern, "pattern");
        return new PiiDetector() {
            @Override
            public Set<EntityType> types() {
                return Set.of(type);
            }

            @Override
            public List<PiiSpan> detect(CharSequence text) {
                List<PiiSpan> out = new ArrayList<>();
                Matcher m = pattern.matcher(text);
                while (m.find()) {
                    if (m.end() > m.start()) {
                        out.add(PiiSpan.of(type, m.start(), m.end()));
                    }
                }
                return out;
            }

            @Override
            public String toString() {
                return "regex(" + type + ")";
            }
        };
    }
}
