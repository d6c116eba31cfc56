package io.otlpgovernor.rules.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.attribute;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.log;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.randomTraceId;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.span;
import static io.otlpgovernor.rules.sampling.ItemRandomnessTest.traceId;
import static org.assertj.core.api.Assertions.assertThat;

class ThresholdFilterTest {

    private static final Threshold QUARTER = Threshold.parse("c");

    @Test
    void keepsExactlyTheSpansWhoseHigh16BitsPassTheThreshold() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            ExportTraceServiceRequest request = randomSpans(random);
            char[] randomness = ItemRandomness.spans(request);
            int t16 = random.nextInt(1 << 16);

            ThresholdFilter.Filtered<ExportTraceServiceRequest> filtered =
                    ThresholdFilter.spans(request, new Threshold((long) t16 << 40));

            List<String> expected = new ArrayList<>();
            List<Span> all = spans(request);
            for (int i = 0; i < all.size(); i++) {
                if (randomness[i] >= t16) {
                    expected.add(all.get(i).getName());
                }
            }
            assertThat(spans(filtered.request())).extracting(Span::getName).containsExactlyElementsOf(expected);
            assertThat(filtered.kept()).isEqualTo(expected.size());
            assertThat(filtered.dropped()).isEqualTo(all.size() - expected.size());
        }
    }

    @Test
    void keepsExactlyTheLogRecordsWhoseHigh16BitsPassTheThreshold() {
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 50; round++) {
            ExportLogsServiceRequest request = randomLogs(random);
            char[] randomness = ItemRandomness.logs(request);
            int t16 = random.nextInt(1 << 16);

            ThresholdFilter.Filtered<ExportLogsServiceRequest> filtered =
                    ThresholdFilter.logs(request, new Threshold((long) t16 << 40));

            List<String> expected = new ArrayList<>();
            List<LogRecord> all = logs(request);
            for (int i = 0; i < all.size(); i++) {
                if (randomness[i] >= t16) {
                    expected.add(all.get(i).getBody().getStringValue());
                }
            }
            assertThat(logs(filtered.request()))
                    .extracting(r -> r.getBody().getStringValue())
                    .containsExactlyElementsOf(expected);
            assertThat(filtered.kept()).isEqualTo(expected.size());
            assertThat(filtered.dropped()).isEqualTo(all.size() - expected.size());
        }
    }

    @Test
    void keptItemsKeepTheirRandomnessSoFilteringAgainChangesNothing() {
        SplittableRandom random = new SplittableRandom(13);
        for (int round = 0; round < 20; round++) {
            Threshold threshold = new Threshold((long) random.nextInt(1 << 16) << 40);
            ExportTraceServiceRequest spans =
                    ThresholdFilter.spans(randomSpans(random), threshold).request();
            ExportLogsServiceRequest logs =
                    ThresholdFilter.logs(randomLogs(random), threshold).request();

            ThresholdFilter.Filtered<ExportTraceServiceRequest> spansAgain = ThresholdFilter.spans(spans, threshold);
            ThresholdFilter.Filtered<ExportLogsServiceRequest> logsAgain = ThresholdFilter.logs(logs, threshold);

            assertThat(spansAgain.request()).isEqualTo(spans);
            assertThat(spansAgain.dropped()).isZero();
            assertThat(logsAgain.request()).isEqualTo(logs);
            assertThat(logsAgain.dropped()).isZero();
        }
    }

    @Test
    void raisesTheThresholdOfKeptSpansAndNeverLowersIt() {
        ByteString highR = traceId(0xd0000000000000L);

        assertThat(filteredTraceState(span(highR, ""))).isEqualTo("ot=th:c");
        assertThat(filteredTraceState(span(highR, "congo=x,ot=th:8;k1:13"))).isEqualTo("ot=th:c;k1:13,congo=x");
        // th:e is stricter than c: it stays, byte for byte, with the other vendors' entries.
        assertThat(filteredTraceState(span(highR, "congo=x , ot=th:e;rv:e8000000000000;k1:13")))
                .isEqualTo("congo=x , ot=th:e;rv:e8000000000000;k1:13");
        // R = 0xd... < th:f: the incoming threshold cannot describe the span and is replaced.
        assertThat(filteredTraceState(span(highR, "ot=th:f,rojo=00f067aa0ba902b7")))
                .isEqualTo("ot=th:c,rojo=00f067aa0ba902b7");
        assertThat(filteredTraceState(span(highR, "ot=th:E"))).isEqualTo("ot=th:c");
    }

    @Test
    void aKeptSpanWithoutTraceIdCarriesTheRandomnessItWasDrawnWith() {
        Span span = span(ByteString.copyFrom(new byte[16]), "congo=x");
        long r = ItemRandomness.of(span).value();
        Threshold threshold = new Threshold(r & ~((1L << 40) - 1));

        String traceState = filteredTraceState(span, threshold);

        assertThat(traceState).isEqualTo("ot=th:" + threshold.thValue() + ";rv:" + Hex56.full(r) + ",congo=x");
    }

    @Test
    void removesScopesAndResourcesLeftWithoutItems() {
        Resource checkout = Resource.newBuilder()
                .addAttributes(attribute("service.name", "checkout"))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(named(0x10000000000000L, "low-1"))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(checkout)
                        .setSchemaUrl("https://schema")
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(named(0x20000000000000L, "low-2")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setSchemaUrl("scope-schema")
                                .addSpans(named(0x30000000000000L, "low-3"))
                                .addSpans(named(0xf0000000000000L, "high"))))
                .build();

        ThresholdFilter.Filtered<ExportTraceServiceRequest> filtered = ThresholdFilter.spans(request, QUARTER);

        assertThat(filtered.request().getResourceSpansList()).hasSize(1);
        ResourceSpans resource = filtered.request().getResourceSpans(0);
        assertThat(resource.getResource()).isEqualTo(checkout);
        assertThat(resource.getSchemaUrl()).isEqualTo("https://schema");
        assertThat(resource.getScopeSpansList()).hasSize(1);
        assertThat(resource.getScopeSpans(0).getSchemaUrl()).isEqualTo("scope-schema");
        assertThat(resource.getScopeSpans(0).getSpansList())
                .extracting(Span::getName)
                .containsExactly("high");
        assertThat(filtered.kept()).isEqualTo(1);
        assertThat(filtered.dropped()).isEqualTo(3);
        assertThat(ThresholdFilter.spans(request, Threshold.STRICTEST).request().getResourceSpansCount())
                .isZero();
    }

    @Test
    void returnsTheSameInstanceWhenTheThresholdKeepsEverything() {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("same", 5);
        ExportLogsServiceRequest logs = OtlpFixtures.logs("same", 4);

        ThresholdFilter.Filtered<ExportTraceServiceRequest> filteredSpans =
                ThresholdFilter.spans(spans, Threshold.ALWAYS);
        ThresholdFilter.Filtered<ExportLogsServiceRequest> filteredLogs = ThresholdFilter.logs(logs, Threshold.ALWAYS);

        assertThat(filteredSpans.request()).isSameAs(spans);
        assertThat(filteredSpans.kept()).isEqualTo(5);
        assertThat(filteredSpans.dropped()).isZero();
        assertThat(filteredLogs.request()).isSameAs(logs);
        assertThat(filteredLogs.kept()).isEqualTo(4);
    }

    @Test
    void keptLogRecordsGetOrRaiseTheirSamplingThresholdAttributeAndNeverLowerIt() {
        ByteString highR = traceId(0xd0000000000000L);
        KeyValue user = attribute("user.id", "42");

        LogRecord fresh = filteredLog(log(highR, "fresh", user));
        LogRecord raised = filteredLog(log(highR, "raised", attribute("sampling.threshold", "8"), user));
        LogRecord stricter = log(highR, "stricter", user, attribute("sampling.threshold", "d"));
        LogRecord explicit =
                filteredLog(log(ByteString.EMPTY, "explicit", attribute("sampling.randomness", "e0000000000000")));

        assertThat(fresh.getAttributesList()).containsExactly(user, attribute("sampling.threshold", "c"));
        assertThat(raised.getAttributesList()).containsExactly(attribute("sampling.threshold", "c"), user);
        assertThat(filteredLog(stricter)).isSameAs(stricter);
        assertThat(explicit.getAttributesList())
                .containsExactly(
                        attribute("sampling.randomness", "e0000000000000"), attribute("sampling.threshold", "c"));
    }

    @Test
    void keptLogRecordsWithoutTraceIdCarryTheHashedRandomness() {
        LogRecord record = log(ByteString.EMPTY, "no trace context", attribute("http.route", "/orders"));
        long r = ItemRandomness.of(record).value();
        Threshold threshold = new Threshold(r & ~((1L << 40) - 1));

        ThresholdFilter.Filtered<ExportLogsServiceRequest> filtered = ThresholdFilter.logs(request(record), threshold);

        LogRecord kept = filtered.request().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(kept.getAttributesList())
                .containsExactly(
                        attribute("http.route", "/orders"),
                        attribute("sampling.threshold", threshold.thValue()),
                        attribute("sampling.randomness", Hex56.full(r)));
        assertThat(ItemRandomness.of(kept).value()).isEqualTo(r);
        assertThat(ThresholdFilter.logs(request(record), new Threshold(threshold.value() + (1L << 40)))
                        .kept())
                .isZero();
    }

    @Test
    void duplicateOrNonStringSamplingAttributesAreReplacedByOne() {
        LogRecord record = log(
                traceId(0xd0000000000000L),
                "dup",
                attribute("sampling.threshold", "4"),
                attribute("a", "b"),
                attribute("sampling.threshold", "8"),
                KeyValue.newBuilder()
                        .setKey("sampling.randomness")
                        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                                .setIntValue(7))
                        .build());

        assertThat(filteredLog(record).getAttributesList())
                .containsExactly(attribute("sampling.threshold", "c"), attribute("a", "b"));
    }

    private static String filteredTraceState(Span span) {
        return filteredTraceState(span, QUARTER);
    }

    private static String filteredTraceState(Span span, Threshold threshold) {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                .build();
        ThresholdFilter.Filtered<ExportTraceServiceRequest> filtered = ThresholdFilter.spans(request, threshold);
        assertThat(filtered.kept()).isEqualTo(1);
        return filtered.request()
                .getResourceSpans(0)
                .getScopeSpans(0)
                .getSpans(0)
                .getTraceState();
    }

    private static LogRecord filteredLog(LogRecord record) {
        ThresholdFilter.Filtered<ExportLogsServiceRequest> filtered = ThresholdFilter.logs(request(record), QUARTER);
        assertThat(filtered.kept()).isEqualTo(1);
        return filtered.request().getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    }

    private static ExportLogsServiceRequest request(LogRecord record) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record)))
                .build();
    }

    private static Span named(long randomness, String name) {
        return span(traceId(randomness), "").toBuilder().setName(name).build();
    }

    /** A request of random spans of every tracestate shape, over several resources and scopes. */
    static ExportTraceServiceRequest randomSpans(SplittableRandom random) {
        String[] traceStates = {"", "congo=x", "ot=th:8", "ot=th:c;k1:13,congo=x", "ot=rv:%s", "ot=th:E", "Bad=1"};
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int n = 0;
        for (int resource = random.nextInt(4); resource >= 0; resource--) {
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
            for (int scope = random.nextInt(3); scope >= 0; scope--) {
                ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    ByteString traceId = random.nextInt(20) == 0 ? ByteString.EMPTY : randomTraceId(random);
                    String traceState = String.format(
                            traceStates[random.nextInt(traceStates.length)], Hex56.full(random.nextLong(1L << 56)));
                    scopeSpans.addSpans(span(traceId, traceState).toBuilder().setName("span-" + n++));
                }
                resourceSpans.addScopeSpans(scopeSpans);
            }
            request.addResourceSpans(resourceSpans);
        }
        return request.build();
    }

    /** A request of random log records, with and without trace ids and sampling attributes. */
    static ExportLogsServiceRequest randomLogs(SplittableRandom random) {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        int n = 0;
        for (int resource = random.nextInt(4); resource >= 0; resource--) {
            ResourceLogs.Builder resourceLogs = ResourceLogs.newBuilder();
            for (int scope = random.nextInt(3); scope >= 0; scope--) {
                ScopeLogs.Builder scopeLogs = ScopeLogs.newBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    int kind = random.nextInt(4);
                    ByteString traceId = kind == 0 ? ByteString.EMPTY : randomTraceId(random);
                    List<KeyValue> attributes = new ArrayList<>();
                    attributes.add(attribute("n", Integer.toString(n)));
                    if (kind == 2) {
                        attributes.add(attribute("sampling.randomness", Hex56.full(random.nextLong(1L << 56))));
                    }
                    if (kind == 3) {
                        attributes.add(attribute("sampling.threshold", "8"));
                    }
                    scopeLogs.addLogRecords(log(traceId, "log-" + n++, attributes.toArray(KeyValue[]::new)));
                }
                resourceLogs.addScopeLogs(scopeLogs);
            }
            request.addResourceLogs(resourceLogs);
        }
        return request.build();
    }

    static List<Span> spans(ExportTraceServiceRequest request) {
        List<Span> spans = new ArrayList<>();
        request.getResourceSpansList().forEach(r -> r.getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList())));
        return spans;
    }

    static List<LogRecord> logs(ExportLogsServiceRequest request) {
        List<LogRecord> logs = new ArrayList<>();
        request.getResourceLogsList()
                .forEach(r -> r.getScopeLogsList().forEach(s -> logs.addAll(s.getLogRecordsList())));
        return logs;
    }
}
