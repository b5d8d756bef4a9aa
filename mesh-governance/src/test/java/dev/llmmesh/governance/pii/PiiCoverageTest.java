package dev.llmmesh.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cards of every length and issuer range, international phone formats without house numbers, IBANs in any case. */
class PiiCoverageTest {
    private static final PiiScanner SCANNER = PiiScanner.defaults();

    private static List<String> found(String text, EntityType type) {
        return SCANNER.scan(text).stream().filter(s -> s.type().equals(type))
                .map(s -> text.substring(s.start(), s.end())).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "6759 6481 0872",          // 12-digit Maestro, grouped
            "675964810872",            // 12-digit Maestro, one run
            "5018 2864 4630",          // 12-digit Maestro 5018
            "213112306109303",         // 15-digit JCB 2131
            "1800 1274 6027 637",      // 15-digit JCB 1800, grouped 4-4-4-3
            "3782 829261 23678",       // Amex 4-6-5
            "3056 930902 2711",        // Diners 14, 4-6-4
            "4111277474117913545",     // 19-digit Visa
            "60117591412908933",       // 17-digit Discover
            "1234 6469 7265 312",      // UATP 15, grouped
            "7812 2192 0687 7093"})    // an issuer range no scheme table lists, grouped like a card
    void luhnValidCardsOfEveryLengthAndRangeAreFound(String card) {
        assertThat(found("Charge it to " + card + ", please.", EntityType.CREDIT_CARD)).containsExactly(card);
    }

    @Test
    void luhnInvalidOrBareUnknownRangeNumbersAreNoCards() {
        assertThat(found("Charge it to 6759 6481 0873, please.", EntityType.CREDIT_CARD)).isEmpty();
        assertThat(found("Order 7812219206877093 shipped.", EntityType.CREDIT_CARD)).isEmpty(); // bare, no issuer
        assertThat(found("Ticket 123456789012 is open.", EntityType.CREDIT_CARD)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.23.45.67.89", "06 12 34 56 78", "+33 1 23 45 67 89", "+44 20 7946 0958",
            "+49 30 901820", "(415) 555-0100", "415.555.0100", "+1-202-555-0147", "0049 30 1234 5678"})
    void phoneNumbersInInternationalFormatsAreFound(String phone) {
        assertThat(found("Reach me at " + phone + " after six.", EntityType.PHONE)).containsExactly(phone);
    }

    @Test
    void houseNumbersBeforeAStreetNameAreNoPhones() {
        assertThat(found("Ship it to 370 3911 Fourth Avenue, Springfield.", EntityType.PHONE)).isEmpty();
        assertThat(found("She lives at 12 4410 Oak Street.", EntityType.PHONE)).isEmpty();
        assertThat(found("Call 555 1234 Monday morning.", EntityType.PHONE)).containsExactly("555 1234");
    }

    @Test
    void ibansAreFoundInAnyCase() {
        assertThat(found("Pay DE89 3704 0044 0532 0130 00 today.", EntityType.IBAN))
                .containsExactly("DE89 3704 0044 0532 0130 00");
        assertThat(found("pay de89370400440532013000 today", EntityType.IBAN)).containsExactly("de89370400440532013000");
        assertThat(found("pay gb82 west 1234 5698 7654 32 today", EntityType.IBAN))
                .containsExactly("gb82 west 1234 5698 7654 32");
        assertThat(found("pay de89370400440532013001 today", EntityType.IBAN)).isEmpty(); // mod 97 fails
    }
}
