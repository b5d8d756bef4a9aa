package dev.llmmesh.governance.pii;

import dev.llmmesh.DataClass;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A kind of personal or secret data, such as an e-mail address or a payment card number. Built-in types are
 * constants here; a custom detector may define its own. Immutable.
 *
 * @param name        upper snake case, used in placeholders such as {@code <EMAIL_1>}, e.g. {@code EMAIL}
 * @param sensitivity the data class a value of this type has: a model whose data-class ceiling admits it may
 *                    receive the raw value; any other model gets it redacted
 */
public record EntityType(String name, DataClass sensitivity) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{1,40}");

    /** E-mail addresses. */
    public static final EntityType EMAIL = new EntityType("EMAIL", DataClass.CONFIDENTIAL);
    /** Phone numbers, national and international formats, with optional extension. */
    public static final EntityType PHONE = new EntityType("PHONE", DataClass.CONFIDENTIAL);
    /** Payment card numbers (13 to 19 digits, Luhn-valid, known issuer prefix). */
    public static final EntityType CREDIT_CARD = new EntityType("CREDIT_CARD", DataClass.RESTRICTED);
    /** International bank account numbers (country length and mod-97 checked). */
    public static final EntityType IBAN = new EntityType("IBAN", DataClass.RESTRICTED);
    /** US social security numbers. */
    public static final EntityType US_SSN = new EntityType("US_SSN", DataClass.RESTRICTED);
    /** IPv4 and IPv6 addresses. */
    public static final EntityType IP_ADDRESS = new EntityType("IP_ADDRESS", DataClass.INTERNAL);
    /** API keys, tokens and other secrets (known prefixes, or high entropy after a secret keyword). */
    public static final EntityType API_KEY = new EntityType("API_KEY", DataClass.RESTRICTED);
    /** The {@code user:password} part of a URL such as {@code https://user:pw@host/}. */
    public static final EntityType URL_CREDENTIALS = new EntityType("URL_CREDENTIALS", DataClass.RESTRICTED);
    /** Dates introduced as a date of birth ("born on", "DOB"). */
    public static final EntityType DATE_OF_BIRTH = new EntityType("DATE_OF_BIRTH", DataClass.CONFIDENTIAL);
    /** Person names (the default detector is dictionary based and opt-in). */
    public static final EntityType PERSON = new EntityType("PERSON", DataClass.CONFIDENTIAL);

    /** General dates and times ("5 January 2021", "2021-03-04", "10:30 am"); opt-in. */
    public static final EntityType DATE_TIME = new EntityType("DATE_TIME", DataClass.INTERNAL);
    /** Ages ("42 years old", "aged 42"; the number); opt-in. */
    public static final EntityType AGE = new EntityType("AGE", DataClass.INTERNAL);
    /** Postal codes with a country shape (UK, Canada) or after a US state or a postcode keyword; opt-in. */
    public static final EntityType POSTAL_CODE = new EntityType("POSTAL_CODE", DataClass.INTERNAL);
    /** Domain names outside e-mail addresses ("example.com"); opt-in. */
    public static final EntityType DOMAIN_NAME = new EntityType("DOMAIN_NAME", DataClass.INTERNAL);
    /** US driver's licence numbers after a licence keyword; opt-in. */
    public static final EntityType US_DRIVER_LICENSE = new EntityType("US_DRIVER_LICENSE", DataClass.RESTRICTED);
    /** Street addresses: house number, street name and suffix, unit, optional city/state/ZIP line; opt-in. */
    public static final EntityType STREET_ADDRESS = new EntityType("STREET_ADDRESS", DataClass.CONFIDENTIAL);

    /** The opt-in pattern types of {@code PiiDetectors.extended()}, in detection priority order. */
    public static final List<EntityType> EXTENDED = List.of(STREET_ADDRESS, US_DRIVER_LICENSE, POSTAL_CODE, AGE,
            DOMAIN_NAME, DATE_TIME);

    /** Every built-in type, in detection priority order (earlier wins an overlap). */
    public static final List<EntityType> BUILT_IN = List.of(URL_CREDENTIALS, API_KEY, EMAIL, IBAN, CREDIT_CARD,
            US_SSN, IP_ADDRESS, DATE_OF_BIRTH, PHONE, PERSON);

    /**
     * @throws IllegalArgumentException if {@code name} is not upper snake case of 2 to 41 characters
     */
    public EntityType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sensitivity, "sensitivity");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("entity type name must be upper snake case like EMAIL or "
                    + "EMPLOYEE_ID (2 to 41 characters), got \"" + name + "\"");
        }
    }

    /** The name used in {@code mesh.yaml}: lower snake case, e.g. {@code credit_card}. */
    public String configName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The built-in or extended type called {@code name} (either case), if any. */
    public static Optional<EntityType> builtIn(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return java.util.stream.Stream.concat(BUILT_IN.stream(), EXTENDED.stream()).filter(t -> t.name.equals(upper))
                .findFirst();
    }

    @Override
    public String toString() {
        return name;
    }
}
