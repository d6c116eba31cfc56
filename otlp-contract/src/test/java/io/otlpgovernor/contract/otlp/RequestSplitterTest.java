package io.otlpgovernor.contract.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSplitterTest {

    @Test
    void aRequestThatFitsIsItsOwnOnlyPart() {
        ExportTraceServiceRequest request = spans(new Random(1), 2, 2, 5, 100);

        List<RequestSplitter.Chunk<ExportTraceServiceRequest>> parts =
                RequestSplitter.split(request, request.getSerializedSize());

        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).request()).isSameAs(request);
        assertThat(parts.get(0).items()).isEqualTo(20);
    }

    @Test
    void partsFitTheLimitAndHoldEverySpanOnceInOrderUnderItsOwnResourceAndScope() {
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            ExportTraceServiceRequest request = spans(
                    random,
                    1 + random.nextInt(4),
                    1 + random.nextInt(4),
                    1 + random.nextInt(30),
                    10 + random.nextInt(400));
            int limit = 300 + random.nextInt(Math.max(1, request.getSerializedSize()));

            List<RequestSplitter.Chunk<ExportTraceServiceRequest>> parts = RequestSplitter.split(request, limit);

            List<String> placed = new ArrayList<>();
            long items = 0;
            for (RequestSplitter.Chunk<ExportTraceServiceRequest> part : parts) {
                List<String> inPart = placedSpans(part.request());
                assertThat(part.items()).isEqualTo(inPart.size());
                if (inPart.size() > 1) {
                    assertThat(part.request().getSerializedSize())
                            .as("run %d: a part of several spans", run)
                            .isLessThanOrEqualTo(limit);
                }
                placed.addAll(inPart);
                items += part.items();
            }
            assertThat(placed).as("run %d", run).containsExactlyElementsOf(placedSpans(request));
            assertThat(items).isEqualTo(placed.size());
        }
    }

    @Test
    void aSpanLargerThanTheLimitIsAPartOfItsOwn() {
        Random random = new Random(3);
        ExportTraceServiceRequest request = spans(random, 1, 1, 3, 50).toBuilder()
                .addResourceSpans(spans(random, 1, 1, 1, 5_000).getResourceSpans(0))
                .addResourceSpans(spans(random, 1, 1, 3, 50).getResourceSpans(0))
                .build();

        List<RequestSplitter.Chunk<ExportTraceServiceRequest>> parts = RequestSplitter.split(request, 1_000);

        assertThat(parts).extracting(RequestSplitter.Chunk::items).containsExactly(3L, 1L, 3L);
        assertThat(parts.get(1).request().getSerializedSize()).isGreaterThan(1_000);
    }

    @Test
    void logRecordsAreSplitLikeSpans() {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        for (int r = 0; r < 3; r++) {
            ScopeLogs.Builder scope = ScopeLogs.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("scope-" + r));
            for (int i = 0; i < 40; i++) {
                scope.addLogRecords(LogRecord.newBuilder()
                        .setBody(AnyValue.newBuilder().setStringValue(r + "/" + i + "-" + "x".repeat(90))));
            }
            request.addResourceLogs(ResourceLogs.newBuilder()
                    .setResource(resource("service-" + r))
                    .addScopeLogs(scope));
        }

        List<RequestSplitter.Chunk<ExportLogsServiceRequest>> parts = RequestSplitter.split(request.build(), 2_000);

        assertThat(parts.size()).isGreaterThan(5);
        assertThat(parts)
                .allSatisfy(
                        part -> assertThat(part.request().getSerializedSize()).isLessThanOrEqualTo(2_000));
        List<String> bodies = new ArrayList<>();
        for (RequestSplitter.Chunk<ExportLogsServiceRequest> part : parts) {
            for (ResourceLogs resource : part.request().getResourceLogsList()) {
                String service =
                        resource.getResource().getAttributes(0).getValue().getStringValue();
                for (ScopeLogs scope : resource.getScopeLogsList()) {
                    for (LogRecord record : scope.getLogRecordsList()) {
                        String body = record.getBody().getStringValue();
                        assertThat(service).endsWith(body.substring(0, 1));
                        assertThat(scope.getScope().getName()).endsWith(body.substring(0, 1));
                        bodies.add(body);
                    }
                }
            }
        }
        assertThat(bodies).hasSize(120).doesNotHaveDuplicates();
        assertThat(parts.stream().mapToLong(RequestSplitter.Chunk::items).sum()).isEqualTo(120);
    }

    @Test
    void metricsAreSplitByMetricAndCountTheirDataPoints() {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (int m = 0; m < 10; m++) {
            Gauge.Builder gauge = Gauge.newBuilder();
            for (int p = 0; p < 20; p++) {
                gauge.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(p).setTimeUnixNano(1_000L * p));
            }
            scope.addMetrics(Metric.newBuilder().setName("metric-" + m).setGauge(gauge));
        }
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("meter"))
                        .addScopeMetrics(scope))
                .build();

        List<RequestSplitter.Chunk<ExportMetricsServiceRequest>> parts =
                RequestSplitter.split(request, request.getSerializedSize() / 3);

        assertThat(parts.size()).isBetween(3, 5);
        assertThat(parts.stream().mapToLong(RequestSplitter.Chunk::items).sum()).isEqualTo(200);
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.items())
                    .isEqualTo(20L
                            * part.request()
                                    .getResourceMetrics(0)
                                    .getScopeMetrics(0)
                                    .getMetricsCount());
            assertThat(part.request().getResourceMetrics(0).getResource()).isEqualTo(resource("meter"));
        });
    }

    @Test
    void aMetricLargerThanAPartIsSplitIntoCopiesWithItsDataPointsInOrder() {
        Histogram.Builder histogram =
                Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        for (int p = 0; p < 3_000; p++) {
            histogram.addDataPoints(HistogramDataPoint.newBuilder()
                    .setTimeUnixNano(p)
                    .setCount(p)
                    .setSum(p)
                    .addExplicitBounds(1)
                    .addBucketCounts(p)
                    .addBucketCounts(0)
                    .addAttributes(KeyValue.newBuilder()
                            .setKey("route")
                            .setValue(AnyValue.newBuilder().setStringValue("/orders/" + p))));
        }
        Metric large = Metric.newBuilder()
                .setName("http.server.duration")
                .setUnit("ms")
                .setHistogram(histogram)
                .build();
        Metric small = Metric.newBuilder()
                .setName("small")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
                .build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource("meter"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(small)
                                .addMetrics(large)
                                .addMetrics(small)))
                .build();
        int limit = 20_000;

        List<RequestSplitter.Chunk<ExportMetricsServiceRequest>> parts = RequestSplitter.split(request, limit);

        assertThat(parts.size()).isGreaterThan(request.getSerializedSize() / limit);
        List<Long> times = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (RequestSplitter.Chunk<ExportMetricsServiceRequest> part : parts) {
            assertThat(part.request().getSerializedSize()).isLessThanOrEqualTo(limit);
            long points = 0;
            for (Metric metric :
                    part.request().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
                names.add(metric.getName());
                points += OtlpPayloads.dataPointCount(metric);
                if (metric.hasHistogram()) {
                    assertThat(metric.getUnit()).isEqualTo("ms");
                    assertThat(metric.getHistogram().getAggregationTemporality())
                            .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
                    metric.getHistogram().getDataPointsList().forEach(point -> times.add(point.getTimeUnixNano()));
                }
            }
            assertThat(part.items()).isEqualTo(points);
        }
        assertThat(times)
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.range(0, 3_000).boxed().toList());
        assertThat(names.get(0)).isEqualTo("small");
        assertThat(names.get(names.size() - 1)).isEqualTo("small");
        assertThat(parts.stream().mapToLong(RequestSplitter.Chunk::items).sum()).isEqualTo(3_002);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> RequestSplitter.split(ExportTraceServiceRequest.getDefaultInstance(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxBytes");
    }

    /** Each span as "resource/scope/span name". */
    private static List<String> placedSpans(ExportTraceServiceRequest request) {
        List<String> placed = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributes(0).getValue().getStringValue();
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    placed.add(service + "/" + scope.getScope().getName() + "/" + span.getName());
                }
            }
        }
        return placed;
    }

    private static ExportTraceServiceRequest spans(
            Random random, int resources, int scopes, int spans, int attributeBytes) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (int r = 0; r < resources; r++) {
            ResourceSpans.Builder resource =
                    ResourceSpans.newBuilder().setResource(resource("service-" + random.nextInt(1000)));
            for (int s = 0; s < scopes; s++) {
                ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("scope-" + s));
                for (int i = 0; i < spans; i++) {
                    byte[] traceId = new byte[16];
                    random.nextBytes(traceId);
                    scope.addSpans(Span.newBuilder()
                            .setName("span-" + r + "-" + s + "-" + i)
                            .setTraceId(ByteString.copyFrom(traceId))
                            .setSpanId(ByteString.copyFrom(traceId, 0, 8))
                            .addAttributes(KeyValue.newBuilder()
                                    .setKey("payload")
                                    .setValue(AnyValue.newBuilder()
                                            .setStringValue("p"
                                                    .repeat(attributeBytes / 2
                                                            + 1
                                                            + random.nextInt(attributeBytes / 2 + 1))))));
                }
                resource.addScopeSpans(scope);
            }
            request.addResourceSpans(resource);
        }
        return request.build();
    }

    private static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service)))
                .build();
    }
}
