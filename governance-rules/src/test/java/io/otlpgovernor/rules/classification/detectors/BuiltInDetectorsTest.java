package io.otlpgovernor.rules.classification.detectors;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltInDetectorsTest {

    @Test
    void idsInStableOrder() {
        assertThat(BuiltInDetectors.ids())
                .containsExactly(
                        "email",
                        "phone",
                        "us-ssn",
                        "iban",
                        "payment-card",
                        "ipv4",
                        "ipv6",
                        "jwt",
                        "cloud-access-key",
                        "bearer-token",
                        "private-key");
    }

    @Test
    void byIdReturnsTheDetectorWithThatId() {
        for (String id : BuiltInDetectors.ids()) {
            Detector detector = BuiltInDetectors.byId(id);
            assertThat(detector.id()).isEqualTo(id);
            assertThat(BuiltInDetectors.byId(id)).isSameAs(detector);
        }
        assertThat(BuiltInDetectors.all()).extracting(Detector::id).containsExactlyElementsOf(BuiltInDetectors.ids());
    }

    @Test
    void defaultLabels() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("email", "pii"),
                Map.entry("phone", "pii"),
                Map.entry("us-ssn", "pii"),
                Map.entry("iban", "pii"),
                Map.entry("payment-card", "pci"),
                Map.entry("ipv4", "pii"),
                Map.entry("ipv6", "pii"),
                Map.entry("jwt", "secret"),
                Map.entry("cloud-access-key", "secret"),
                Map.entry("bearer-token", "secret"),
                Map.entry("private-key", "secret"));
        for (String id : BuiltInDetectors.ids()) {
            assertThat(BuiltInDetectors.defaultLabel(id)).as(id).isEqualTo(expected.get(id));
        }
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(BuiltInDetectors.ids());
    }

    @Test
    void unknownIdListsTheKnownOnes() {
        assertThatThrownBy(() -> BuiltInDetectors.byId("credit-card"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown detector 'credit-card'; known detectors: email, phone, us-ssn, iban, "
                        + "payment-card, ipv4, ipv6, jwt, cloud-access-key, bearer-token, private-key");
        assertThatThrownBy(() -> BuiltInDetectors.defaultLabel("sensitive-key-name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known detectors: email");
        assertThatThrownBy(() -> BuiltInDetectors.byId(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setsAreUnmodifiable() {
        assertThatThrownBy(() -> BuiltInDetectors.ids().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> BuiltInDetectors.all().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyDetectorIsAFinalClass() {
        for (Detector detector : BuiltInDetectors.all()) {
            assertThat(java.lang.reflect.Modifier.isFinal(detector.getClass().getModifiers()))
                    .as(detector.getClass().getName())
                    .isTrue();
        }
    }
}
