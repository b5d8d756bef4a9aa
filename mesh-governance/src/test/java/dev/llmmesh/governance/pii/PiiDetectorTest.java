package dev.llmmesh.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PiiDetectorTest {
    private static final PiiScanner SCANNER = PiiScanner.defaults();

    private static List<String> found(String text, EntityType type) {
        return SCANNER.scan(text).stream().filter(s -> s.type().equals(type))
                .map(s -> text.substring(s.start(), s.end())).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "EMAIL|write to ann.lee+tag@mail.example.co.uk today|ann.lee+tag@mail.example.co.uk",
        "PHONE|call +44 20 7946 0958 now|+44 20 7946 0958",
        "PHONE|call (415) 555-0100 x123 now|(415) 555-0100 x123",
        "PHONE|ring 0049-30-1234567 please|0049-30-1234567",
        "PHONE|my phone is 4155550100|4155550100",
        "CREDIT_CARD|card 4111 1111 1111 1111 exp 12/29|4111 1111 1111 1111",
        "CREDIT_CARD|amex 3782-822463-10005 ok|3782-822463-10005",
        "CREDIT_CARD|pan 5500005555555559.|5500005555555559",
        "IBAN|pay DE89 3704 0044 0532 0130 00 now|DE89 3704 0044 0532 0130 00",
        "IBAN|iban GB82WEST12345698765432.|GB82WEST12345698765432",
        "US_SSN|ssn 123-45-6789.|123-45-6789",
        "US_SSN|my social security number is 123456789|123456789",
        "IP_ADDRESS|from 10.0.12.255 at noon|10.0.12.255",
        "IP_ADDRESS|host 2001:db8:85a3::8a2e:370:7334 is up|2001:db8:85a3::8a2e:370:7334",
        "IP_ADDRESS|loopback fe80::1 only|fe80::1",
        "API_KEY|key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z used|sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z",
        "API_KEY|aws AKIAIOSFODNN7EXAMPLE here|AKIAIOSFODNN7EXAMPLE",
        "API_KEY|token ghp_1234567890abcdefghijABCDEFGHIJ123456 x|ghp_1234567890abcdefghijABCDEFGHIJ123456",
        "API_KEY|password: Zx9#qL2vT7mK4pW8rY3n|Zx9#qL2vT7mK4pW8rY3n",
        "API_KEY|client_secret=9fK2mQ7xL4pZ8rT1vB6n|9fK2mQ7xL4pZ8rT1vB6n",
        "URL_CREDENTIALS|db at postgres://admin:s3cret@db.internal:5432/app|admin:s3cret",
        "DATE_OF_BIRTH|born on 1984-02-29 in Oslo|1984-02-29",
        "DATE_OF_BIRTH|DOB: 12/27/1986.|12/27/1986",
        "DATE_OF_BIRTH|date of birth March 3, 1985|March 3, 1985",
    })
    void builtInDetectorsFindEachType(String type, String text, String value) {
        assertThat(found(text, EntityType.builtIn(type).orElseThrow())).containsExactly(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "4111 1111 1111 1112", "4111-1111-1111-1112", "4111111111111112", "5500 0055 5555 5558",
        "3782-822463-10006", "6011 0009 9013 9425"})
    void scenario38_luhnInvalidCardNumbersGiveZeroHits(String number) {
        assertThat(SCANNER.scan("card " + number + " please")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"DE89 3704 0044 0532 0130 01", "GB82WEST12345698765433", "DE89370400440532013", "XX89370400440532013000"})
    void scenario38_ibansFailingMod97OrTheCountryLengthGiveZeroHits(String iban) {
        assertThat(SCANNER.scan("iban " + iban + " thanks")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "version 1.2.3 released", "on 1998-06-28 14:48:14", "order 12/27/1986 shipped", "total 1,234,567.89 USD",
        "zip 94103", "000-12-3456 is not issued", "room 101 floor 3", "born to run", "hash 3f9a0c1d2b4e5f60718293a4",
        "time 14:48:14", "mac 00:1A:2B:3C:4D:5E", "the key points are clear", "std::string s;"})
    void ordinaryTextGivesNoHits(String text) {
        assertThat(SCANNER.scan(text)).isEmpty();
    }

    @Test
    void overlapsResolveToTheHigherPriorityTypeAndSpansAreDisjoint() {
        String text = "mail 555-123-4567@example.com or https://bob:pw@x.io";
        List<PiiSpan> spans = SCANNER.scan(text);
        assertThat(spans).extracting(PiiSpan::type).containsExactly(EntityType.EMAIL, EntityType.URL_CREDENTIALS);
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).start()).isGreaterThanOrEqualTo(spans.get(i - 1).end());
        }
    }

    @Test
    void customAndPersonDetectorsPlugIn() {
        EntityType employee = new EntityType("EMPLOYEE_ID", dev.llmmesh.DataClass.INTERNAL);
        PiiScanner scanner = PiiScanner.builder().add(PiiDetectors.builtIn())
                .add(PiiDetectors.regex(employee, Pattern.compile("\\bE-\\d{6}\\b")))
                .add(PiiDetectors.personNames()).build();
        String text = "Ask Maria Gonzalez (E-123456) or Mr. Okafor";
        assertThat(scanner.scan(text)).extracting(s -> s.type().name() + "=" + text.substring(s.start(), s.end()))
                .containsExactly("PERSON=Maria Gonzalez", "EMPLOYEE_ID=E-123456", "PERSON=Okafor");
        assertThat(scanner.types()).contains(employee, EntityType.PERSON, EntityType.EMAIL);
        assertThatThrownBy(() -> new EntityType("lower", dev.llmmesh.DataClass.PUBLIC))
                .hasMessageContaining("upper snake case");
    }

    @Test
    void spansNeverRevealTheirValueInToString() {
        PiiSpan span = SCANNER.scan("ssn 123-45-6789").get(0);
        assertThat(span.toString()).isEqualTo("US_SSN[4, 15)");
    }
}
