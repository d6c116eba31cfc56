package io.otlpgovernor.rules.sampling;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.condition.AttributeValues;
import io.otlpgovernor.rules.condition.Match;
import io.otlpgovernor.rules.condition.When;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.otlpgovernor.rules.sampling.SamplingFixtures.attribute;
import static org.assertj.core.api.Assertions.assertThat;

class SamplingConditionsTest {

    @Test
    void theServiceNameIsTheResourcesStringServiceName() {
        assertThat(AttributeValues.serviceName(SamplingFixtures.resource("shop")))
                .isEqualTo("shop");
        assertThat(AttributeValues.serviceName(SamplingFixtures.resource(null))).isEmpty();
        assertThat(AttributeValues.serviceName(SamplingFixtures.resource(null, attribute("service.name", 7L))))
                .isEmpty();
    }

    @Test
    void anEmptyConditionMatchesAnythingAndServicesNeedAServiceName() {
        When any = when(Set.of(), Set.of(), Map.of());
        assertThat(any.matches(Signal.SPANS, "", null, List.of(), List.of())).isTrue();
        When shop = when(Set.of("shop"), Set.of(), Map.of());
        assertThat(shop.matches(Signal.LOGS, "shop", null, List.of(), List.of()))
                .isTrue();
        assertThat(shop.matches(Signal.LOGS, "", null, List.of(), List.of())).isFalse();
    }

    @Test
    void labelsMatchAnyOfThemAndNeverWhenUnknown() {
        When pii = when(Set.of(), Set.of("pii", "secret"), Map.of());
        assertThat(pii.testsLabels()).isTrue();
        assertThat(pii.matches(Signal.SPANS, "", Set.of("secret"), List.of(), List.of()))
                .isTrue();
        assertThat(pii.matches(Signal.SPANS, "", Set.of("internal"), List.of(), List.of()))
                .isFalse();
        assertThat(pii.matches(Signal.SPANS, "", null, List.of(), List.of())).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // rule text | value kind | value    | matches
                "200         | int        | 200      | true",
                "200.0       | int        | 200      | true",
                "2e2         | int        | 200      | true",
                "200         | double     | 200      | true",
                "0.5         | double     | 0.5      | true",
                "1d          | double     | 1        | false",
                "Infinity    | double     | Infinity | false",
                "NaN         | double     | NaN      | false",
                "' 1'        | int        | 1        | false",
                "true        | bool       | true     | true",
                "TRUE        | bool       | true     | false",
                "abc         | string     | abc      | true",
                "abc         | string     | ABC      | false",
            })
    void attributeValuesAreComparedAsText(String text, String kind, String value, boolean matches) {
        AnyValue.Builder any = AnyValue.newBuilder();
        switch (kind) {
            case "int" -> any.setIntValue(Long.parseLong(value));
            case "double" -> any.setDoubleValue(Double.parseDouble(value));
            case "bool" -> any.setBoolValue(Boolean.parseBoolean(value));
            default -> any.setStringValue(value);
        }
        KeyValue attribute = KeyValue.newBuilder().setKey("k").setValue(any).build();
        When when = when(Set.of(), Set.of(), Map.of("k", text));
        assertThat(when.matches(Signal.SPANS, "", null, List.of(attribute), List.of()))
                .isEqualTo(matches);
    }

    @Test
    void compositeValuesNeverMatch() {
        KeyValue array = KeyValue.newBuilder()
                .setKey("k")
                .setValue(AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a"))))
                .build();
        SamplingConditions.AttributeTest regex =
                SamplingConditions.AttributeTest.compile(new SamplingRules.AttributeMatch(
                        "r", "k", Set.of(), Optional.of("a"), Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(regex.matches(List.of(array), List.of())).isFalse();
        assertThat(when(Set.of(), Set.of(), Map.of("k", "a"))
                        .matches(Signal.SPANS, "", null, List.of(array), List.of()))
                .isFalse();
    }

    @Test
    void anAttributeTestLooksAtTheResourceWhenTheSpanValueDoesNotPass() {
        SamplingConditions.AttributeTest gold =
                SamplingConditions.AttributeTest.compile(new SamplingRules.AttributeMatch(
                        "g",
                        "tier",
                        Set.of("gold"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
        assertThat(gold.matches(List.of(attribute("tier", "silver")), List.of(attribute("tier", "gold"))))
                .isTrue();
        assertThat(gold.matches(List.of(attribute("tier", "silver")), List.of()))
                .isFalse();
    }

    private static When when(Set<String> services, Set<String> labels, Map<String, String> attributes) {
        return When.compile(new Match(Set.of(), labels, services, attributes));
    }
}
