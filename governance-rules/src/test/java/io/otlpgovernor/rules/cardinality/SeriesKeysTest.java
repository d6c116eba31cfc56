package io.otlpgovernor.rules.cardinality;

import java.util.List;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.cardinality.MetricRequests.attributes;
import static org.assertj.core.api.Assertions.assertThat;

class SeriesKeysTest {

    private static final byte[] RESOURCE = SeriesKeys.resource(Resource.newBuilder()
            .addAllAttributes(attributes("service.name", "checkout"))
            .build());
    private static final byte[] SCOPE =
            SeriesKeys.scope(InstrumentationScope.newBuilder().setName("demo").build());

    @Test
    void theOrderOfAttributesDoesNotMakeANewSeries() {
        String one = SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("route", "/a", "method", "GET"));
        String other = SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("method", "GET", "route", "/a"));

        assertThat(one).isEqualTo(other);
        assertThat(SeriesKeys.resource(Resource.newBuilder()
                        .addAllAttributes(attributes("a", "1", "b", "2"))
                        .build()))
                .isEqualTo(SeriesKeys.resource(Resource.newBuilder()
                        .addAllAttributes(attributes("b", "2", "a", "1"))
                        .build()));
    }

    @Test
    void resourceScopeNameAndEveryAttributeValueCount() {
        String series = SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("route", "/a"));
        byte[] otherService = SeriesKeys.resource(Resource.newBuilder()
                .addAllAttributes(attributes("service.name", "cart"))
                .build());
        byte[] otherScope = SeriesKeys.scope(InstrumentationScope.newBuilder()
                .setName("demo")
                .setVersion("2")
                .build());

        assertThat(List.of(
                        SeriesKeys.series("requests", otherService, SCOPE, attributes("route", "/a")),
                        SeriesKeys.series("requests", RESOURCE, otherScope, attributes("route", "/a")),
                        SeriesKeys.series("errors", RESOURCE, SCOPE, attributes("route", "/a")),
                        SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("route", "/b")),
                        SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("route", "/a", "x", "")),
                        SeriesKeys.series("requests", RESOURCE, SCOPE, List.of())))
                .doesNotContain(series)
                .doesNotHaveDuplicates();
    }

    @Test
    void anEntryNamesItsMetricButHoldsNoAttributeValue() {
        String series = SeriesKeys.series("requests", RESOURCE, SCOPE, attributes("user.email", "jane@example.com"));
        String value = SeriesKeys.value(
                "requests",
                "user.email",
                attributes("user.email", "jane@example.com").get(0).getValue());

        assertThat(SeriesKeys.metricOf(series)).isEqualTo("requests");
        assertThat(SeriesKeys.metricOf(value)).isEqualTo("requests");
        assertThat(SeriesKeys.attributeOf(value)).isEqualTo("user.email");
        assertThat(series + value).doesNotContain("jane", "example");
    }
}
