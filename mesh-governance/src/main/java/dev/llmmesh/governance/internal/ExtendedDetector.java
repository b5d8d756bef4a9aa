package dev.llmmesh.governance.internal;

import dev.llmmesh.governance.pii.EntityType;
import dev.llmmesh.governance.pii.PiiDetector;
import dev.llmmesh.governance.pii.PiiSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opt-in pattern detectors: general dates and times, ages, postal codes (with a country-specific shape or a
 * state or keyword before them), domain names, US driver's licence numbers after a licence keyword, and street
 * addresses (a house number, capitalised words, a street suffix, an optional unit and city/state/ZIP line). Each
 * pattern is linear; immutable and thread-safe.
 */
public final class ExtendedDetector implements PiiDetector {
    private static final int F = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    private static final String MONTH = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
            + "aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
    private static final String DAY = "(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?";
    private static final Pattern DATE = Pattern.compile("(?<![\\p{L}\\d])(?:"
            + MONTH + "\\s+" + DAY + "(?:,?\\s+(?:19|20)\\d{2})?"                 // January 5, 2021
            + "|" + DAY + "\\s+(?:of\\s+)?" + MONTH + "(?:,?\\s+(?:19|20)\\d{2})?"  // 5 January 2021
            + "|" + MONTH + "\\s+(?:19|20)\\d{2}"                                 // March 2021
            + "|(?:19|20)\\d{2}-[01]\\d-[0-3]\\d(?:[t ][0-2]\\d:[0-5]\\d(?::[0-5]\\d)?)?"  // ISO
            + "|[0-3]?\\d[./-][01]?\\d[./-](?:19|20)\\d{2}"                       // 04.03.2021, 4/3/2021
            + "|[01]?\\d/[0-3]?\\d/\\d{2}"                                        // 3/4/21
            + "|(?:[01]?\\d|2[0-3]):[0-5]\\d(?:\\s?[ap]\\.?m\\.?)?"                 // 14:05, 10:30 am
            + "|(?:1[0-2]|0?[1-9])\\s?[ap]\\.?m\\.?"                                // 7 pm
            + ")(?![\\p{L}\\d])", F);
    private static final Pattern AGE = Pattern.compile("(?<![\\p{L}\\d])(?:(\\d{1,3})(?:\\s|-)?(?:years?|yrs?|y/o)"
            + "(?:\\s|-)?(?:old|of\\s+age)|(?:aged?|age\\s+is|age:)\\s*(\\d{1,3}))(?![\\p{L}\\d])", F);
    private static final String STATES = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|"
            + "MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|AA|AE|AP";
    private static final Pattern POSTAL = Pattern.compile(
            "(?<=\\b(?:" + STATES + ")\\s)\\d{5}(?:-\\d{4})?(?!\\d)"                          // CA 94105
            + "|(?<=(?i:zip|zip code|postal code|postcode|plz|code postal|c[oó]digo postal)[:\\s]{1,3})"
            + "[A-Z0-9][A-Z0-9 -]{2,8}[A-Z0-9](?![A-Za-z0-9])"                                // after a keyword
            + "|\\b[A-Z]{1,2}\\d[A-Z\\d]?\\s\\d[A-Z]{2}\\b"                                    // UK SW1A 1AA
            + "|\\b[A-Z]\\d[A-Z]\\s\\d[A-Z]\\d\\b");                                           // Canada K1A 0B1
    private static final Pattern DOMAIN = Pattern.compile("(?<![\\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+"
            + "(?:com|org|net|edu|gov|info|biz|io|ai|co|app|dev|me|tv|us|uk|de|fr|es|it|nl|eu|ch|at|be|ca|au|in|jp|"
            + "br|ru|pl|se|no|dk|fi|pt|ie|nz|mx|ar|za|cn|kr|online|site|shop|xyz)(?![\\w@-]|\\.[a-z])", F);
    private static final Pattern DRIVER = Pattern.compile("(?i:driver'?s?\\s+licen[cs]e(?:\\s+(?:number|no\\.?|#))?"
            + "|\\bDL\\s*(?:#|no\\.?|number)?|licen[cs]e\\s+(?:number|no\\.?|#))[:\\s#]{0,3}"
            + "([A-Z]{0,2}\\d{5,13}|[A-Z]\\d{3}-\\d{3}-\\d{2}-\\d{3}-\\d|\\d{3}[A-Z]{2}\\d{4})(?![A-Za-z0-9])");
    private static final String SUFFIX = "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|"
            + "Way|Place|Pl|Terrace|Ter|Parkway|Pkwy|Circle|Cir|Square|Sq|Highway|Hwy|Trail|Trl|Alley|Loop|Path|Pike|"
            + "Plaza|Point|Crossing|Crescent|Close|Row|Walk|Village|Villages|Ville|View|Views|Union|Unions|Isle|"
            + "Island|Islands|Junction|Key|Keys|Knoll|Knolls|Lake|Lakes|Landing|Light|Lights|Lodge|Manor|Manors|"
            + "Meadow|Meadows|Mill|Mills|Mission|Motorway|Mount|Mountain|Neck|Orchard|Oval|Park|Parks|Pass|Passage|"
            + "Pine|Pines|Plain|Plains|Port|Ports|Prairie|Radial|Ranch|Rapid|Rapids|Rest|Ridge|Ridges|River|Route|"
            + "Shoal|Shoals|Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Station|Stravenue|Stream|Summit|Throughway|"
            + "Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|Valley|Valleys|Via|Viaduct|Vista|Well|Wells|Estate|"
            + "Estates|Expressway|Extension|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|Forest|Forge|Forges|Fork|"
            + "Forks|Fort|Freeway|Garden|Gardens|Gateway|Glen|Glens|Green|Greens|Grove|Groves|Harbor|Harbors|Haven|"
            + "Heights|Hill|Hills|Hollow|Inlet|Burg|Burgs|Bypass|Camp|Canyon|Cape|Causeway|Center|Centers|Cliff|"
            + "Cliffs|Club|Common|Commons|Corner|Corners|Course|Courts|Cove|Coves|Creek|Crest|Curve|Dale|Dam|Divide|"
            + "Drives|Bridge|Brook|Brooks|Bluff|Bluffs|Bottom|Branch|Beach|Bend|Arcade|Anex|Avenue)";
    private static final Pattern STREET = Pattern.compile("(?<![\\p{L}\\d])\\d{1,6}(?:\\s\\d{1,6})?"
            + "(?:\\s(?:[NSEW]\\.?|North|South|East|West))?(?:\\s[A-Z][\\p{L}'-]*|\\s\\d{1,3}(?:st|nd|rd|th)){0,4}?"
            + "\\s" + SUFFIX + "(?![\\p{L}])"
            + "(?:,?\\s(?:Apt\\.?|Apartment|Suite|Ste\\.?|Unit|#)\\s?[\\dA-Z]{1,6})?"
            + "(?:,?[ \\n](?:[A-Z][\\p{L}'-]*[ ]){0,3}[A-Z][\\p{L}'-]*,\\s(?:" + STATES + ")\\s\\d{5}(?:-\\d{4})?)?");

    private final boolean date;
    private final boolean age;
    private final boolean postal;
    private final boolean domain;
    private final boolean driver;
    private final boolean street;
    private final Set<EntityType> types;

    public ExtendedDetector(Set<EntityType> types) {
        for (EntityType t : types) {
            if (!EntityType.EXTENDED.contains(t)) {
                throw new IllegalArgumentException("not an extended PII type: " + t + "; expected one of "
                        + EntityType.EXTENDED);
            }
        }
        this.types = Set.copyOf(types);
        this.date = types.contains(EntityType.DATE_TIME);
        this.age = types.contains(EntityType.AGE);
        this.postal = types.contains(EntityType.POSTAL_CODE);
        this.domain = types.contains(EntityType.DOMAIN_NAME);
        this.driver = types.contains(EntityType.US_DRIVER_LICENSE);
        this.street = types.contains(EntityType.STREET_ADDRESS);
    }

    @Override
    public Set<EntityType> types() {
        return types;
    }

    @Override
    public List<PiiSpan> detect(CharSequence text) {
        List<PiiSpan> out = new ArrayList<>();
        if (street) {
            all(STREET, text, EntityType.STREET_ADDRESS, 0, 0.6, out);
        }
        if (driver) {
            all(DRIVER, text, EntityType.US_DRIVER_LICENSE, 1, 0.7, out);
        }
        if (postal) {
            all(POSTAL, text, EntityType.POSTAL_CODE, 0, 0.6, out);
        }
        if (age) {
            Matcher m = AGE.matcher(text);
            while (m.find()) {
                int g = m.group(1) != null ? 1 : 2;
                int v = Integer.parseInt(m.group(g));
                if (v > 0 && v <= 130) {
                    out.add(new PiiSpan(EntityType.AGE, m.start(g), m.end(g), 0.7));
                }
            }
        }
        if (domain) {
            all(DOMAIN, text, EntityType.DOMAIN_NAME, 0, 0.6, out);
        }
        if (date) {
            all(DATE, text, EntityType.DATE_TIME, 0, 0.6, out);
        }
        return out;
    }

    private static void all(Pattern p, CharSequence text, EntityType type, int group, double score,
                            List<PiiSpan> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            if (m.end(group) > m.start(group)) {
                out.add(new PiiSpan(type, m.start(group), m.end(group), score));
            }
        }
    }
}
