package dev.llmmesh.governance.internal;

import java.util.Map;

/** Checksum and format validators used by the built-in detectors. Stateless. */
public final class Checksums {
    private Checksums() {
    }

    /** IBAN length by country code (ISO 13616 registry). */
    static final Map<String, Integer> IBAN_LENGTHS = Map.ofEntries(
            Map.entry("AD", 24), Map.entry("AE", 23), Map.entry("AL", 28), Map.entry("AT", 20), Map.entry("AZ", 28),
            Map.entry("BA", 20), Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("BH", 22), Map.entry("BR", 29),
            Map.entry("BY", 28), Map.entry("CH", 21), Map.entry("CR", 22), Map.entry("CY", 28), Map.entry("CZ", 24),
            Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("DO", 28), Map.entry("EE", 20), Map.entry("EG", 29),
            Map.entry("ES", 24), Map.entry("FI", 18), Map.entry("FO", 18), Map.entry("FR", 27), Map.entry("GB", 22),
            Map.entry("GE", 22), Map.entry("GI", 23), Map.entry("GL", 18), Map.entry("GR", 27), Map.entry("GT", 28),
            Map.entry("HR", 21), Map.entry("HU", 28), Map.entry("IE", 22), Map.entry("IL", 23), Map.entry("IQ", 23),
            Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("JO", 30), Map.entry("KW", 30), Map.entry("KZ", 20),
            Map.entry("LB", 28), Map.entry("LC", 32), Map.entry("LI", 21), Map.entry("LT", 20), Map.entry("LU", 20),
            Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MD", 24), Map.entry("ME", 22), Map.entry("MK", 19),
            Map.entry("MR", 27), Map.entry("MT", 31), Map.entry("MU", 30), Map.entry("NL", 18), Map.entry("NO", 15),
            Map.entry("PK", 24), Map.entry("PL", 28), Map.entry("PS", 29), Map.entry("PT", 25), Map.entry("QA", 29),
            Map.entry("RO", 24), Map.entry("RS", 22), Map.entry("SA", 24), Map.entry("SC", 31), Map.entry("SE", 24),
            Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("ST", 25), Map.entry("SV", 28),
            Map.entry("TL", 23), Map.entry("TN", 24), Map.entry("TR", 26), Map.entry("UA", 29), Map.entry("VA", 22),
            Map.entry("VG", 24), Map.entry("XK", 20));

    /** Whether the digits of {@code s} in [from, to) (other characters skipped) pass the Luhn check. */
    public static boolean luhn(CharSequence s, int from, int to) {
        int sum = 0;
        boolean dbl = false;
        int digits = 0;
        for (int i = to - 1; i >= from; i--) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int d = c - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
            digits++;
        }
        return digits > 0 && sum % 10 == 0;
    }

    /**
     * Whether the compact IBAN {@code iban} (letters and digits only, upper case) has the registered length for its
     * country and passes the ISO 7064 mod-97 check.
     */
    public static boolean iban(String iban) {
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        Integer len = IBAN_LENGTHS.get(iban.substring(0, 2));
        if (len == null || len != iban.length()) {
            return false;
        }
        int rem = 0;
        int n = iban.length();
        for (int k = 0; k < n; k++) {
            char c = iban.charAt((k + 4) % n);
            if (c >= '0' && c <= '9') {
                rem = (rem * 10 + (c - '0')) % 97;
            } else if (c >= 'A' && c <= 'Z') {
                int v = c - 'A' + 10;
                rem = (rem * 100 + v) % 97;
            } else {
                return false;
            }
        }
        return rem == 1;
    }

    /**
     * Whether a 12 to 19 digit number starts with an issuer prefix of a card scheme (Visa, Mastercard, Amex, UATP,
     * Discover, JCB, Diners, UnionPay, Maestro, Mir) at a length the scheme issues.
     */
    static boolean cardPrefix(String digits) {
        int len = digits.length();
        int p1 = digits.charAt(0) - '0';
        int p2 = Integer.parseInt(digits.substring(0, 2));
        int p3 = Integer.parseInt(digits.substring(0, 3));
        int p4 = Integer.parseInt(digits.substring(0, 4));
        if (p1 == 4) {
            return len >= 13; // Visa
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return len >= 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // Amex
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || p2 == 62) {
            return len >= 16; // Discover, UnionPay
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 15; // JCB
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return len >= 14; // Diners
        }
        if (p2 == 50 || (p2 >= 56 && p2 <= 69)) {
            return len >= 12; // Maestro
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return len >= 16; // Mir
        }
        if (p4 == 1800 || p4 == 2131) {
            return len == 15; // JCB 15-digit
        }
        if (p1 == 1) {
            return len == 15; // UATP
        }
        return false;
    }

    /** Whether a US SSN's parts are in issued ranges (area not 000, 666 or 9xx; group not 00; serial not 0000). */
    static boolean ssnParts(int area, int group, int serial) {
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }

    /** Shannon entropy in bits per character. */
    static double entropy(CharSequence s, int from, int to) {
        int[] counts = new int[128];
        int other = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double n = to - from;
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        if (other > 0) {
            double p = other / n;
            h -= p * (Math.log(p) / Math.log(2));
        }
        return h;
    }
}
