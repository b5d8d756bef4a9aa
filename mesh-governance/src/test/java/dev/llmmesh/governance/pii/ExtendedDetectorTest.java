package dev.llmmesh.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmmesh.config.ConfigNode;
import dev.llmmesh.config.MeshConfigException;
import dev.llmmesh.governance.GovernanceConfigurer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExtendedDetectorTest {
    private static final PiiScanner SCANNER = PiiScanner.builder().add(PiiDetectors.builtIn())
            .add(PiiDetectors.extended()).build();

    private static List<String> found(String text, EntityType type) {
        return SCANNER.scan(text).stream().filter(s -> s.type().equals(type))
                .map(s -> text.substring(s.start(), s.end())).toList();
    }

    @Test
    void datesAndTimes() {
        assertThat(found("We met on January 5, 2021 at 10:30 am and again on 2021-03-04.", EntityType.DATE_TIME))
                .containsExactly("January 5, 2021", "10:30 am", "2021-03-04");
        assertThat(found("Le 04.03.2021 ou le 5 March 2022.", EntityType.DATE_TIME))
                .containsExactly("04.03.2021", "5 March 2022");
        assertThat(found("Version 1.2.3 costs 12.50 and may help.", EntityType.DATE_TIME)).isEmpty();
    }

    @Test
    void agesAreTheNumber() {
        assertThat(found("He is 42 years old; his aunt, aged 87, lives nearby.", EntityType.AGE))
                .containsExactly("42", "87");
        assertThat(found("The bridge is 300 years old.", EntityType.AGE)).isEmpty(); // over 130
    }

    @Test
    void postalCodesNeedAShapeOrContext() {
        assertThat(found("Springfield, IL 62704 and London SW1A 1AA and Ottawa K1A 0B1.", EntityType.POSTAL_CODE))
                .containsExactly("62704", "SW1A 1AA", "K1A 0B1");
        assertThat(found("My zip code: 94105.", EntityType.POSTAL_CODE)).containsExactly("94105");
        assertThat(found("We sold 62704 units.", EntityType.POSTAL_CODE)).isEmpty();
    }

    @Test
    void domainNamesOutsideEmailAddresses() {
        assertThat(found("See farley.info or https://www.example.com/a, not ann@example.com.", EntityType.DOMAIN_NAME))
                .containsExactly("farley.info", "www.example.com");
        assertThat(found("Open config.yaml and readme.txt", EntityType.DOMAIN_NAME)).isEmpty();
    }

    @Test
    void driversLicencesAfterAKeyword() {
        assertThat(found("Driver's license number: D1234567, DL 99887766.", EntityType.US_DRIVER_LICENSE))
                .containsExactly("D1234567", "99887766");
        assertThat(found("Order D1234567 shipped.", EntityType.US_DRIVER_LICENSE)).isEmpty();
    }

    @Test
    void streetAddressesWithUnitAndCityLine() {
        assertThat(found("Send it to 370 3911 Fourth Avenue Suite 500\nHigbeetown, NH 12345 today.",
                EntityType.STREET_ADDRESS)).containsExactly("370 3911 Fourth Avenue Suite 500\nHigbeetown, NH 12345");
        assertThat(found("I live at 12 Oak Street.", EntityType.STREET_ADDRESS)).containsExactly("12 Oak Street");
        assertThat(found("We have 12 Oak trees.", EntityType.STREET_ADDRESS)).isEmpty();
        // no phone claims the house number either
        assertThat(found("Send it to 370 3911 Fourth Avenue.", EntityType.PHONE)).isEmpty();
    }

    @Test
    void meshYamlTurnsExtendedTypesOnAndNamesABadOne() {
        ConfigNode ok = ConfigNode.fromYaml("governance:\n  pii:\n    extendedTypes: [date_time, street_address]\n",
                Map.<String, String>of()::get).child("governance");
        assertThat(GovernanceConfigurer.read(ok).build()).isNotNull();
        ConfigNode bad = ConfigNode.fromYaml("governance:\n  pii:\n    extendedTypes: [shoe_size]\n",
                Map.<String, String>of()::get).child("governance");
        assertThatThrownBy(() -> GovernanceConfigurer.read(bad)).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("governance.pii.extendedTypes").hasMessageContaining("shoe_size");
        assertThatThrownBy(() -> PiiDetectors.extended(Set.of(EntityType.EMAIL)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
