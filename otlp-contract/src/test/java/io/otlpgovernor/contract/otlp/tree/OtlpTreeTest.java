package io.otlpgovernor.contract.otlp.tree;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Exemplar;
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

class OtlpTreeTest {

    private static final TreeVisitor<Span> KEEP_SPANS = new TreeVisitor<>() {};

    @Test
    void anUntouchedRequestComesOutAsItselfAndItsBytes() {
        ExportTraceServiceRequest spans = spans();
        ExportLogsServiceRequest logs = logs();
        ExportMetricsServiceRequest metrics = metrics();
        TreeVisitor<Message> everySite = new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return true;
            }
        };

        assertThat(OtlpTree.walk(spans, KEEP_SPANS)).isSameAs(spans);
        assertThat(OtlpTree.walk(logs, new TreeVisitor<>() {})).isSameAs(logs);
        assertThat(OtlpTree.walk(metrics, everySite)).isSameAs(metrics);
        assertThat(OtlpTree.walk(spans, visitingEverySite()).toByteArray()).isEqualTo(spans.toByteArray());
    }

    @Test
    void droppingItemsRemovesTheContainersTheyLeaveEmptyAndKeepsTheRestAsTheyWere() {
        ExportTraceServiceRequest request = spans();
        ExportTraceServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public Span item(Span span, TreePosition at) {
                return span.getName().startsWith("a") || span.getName().equals("b1") ? null : span;
            }
        });

        // resource 0 held only a-spans, resource 1's first scope only b1; its second scope keeps b2
        assertThat(walked.getResourceSpansList()).hasSize(1);
        ResourceSpans resource = walked.getResourceSpans(0);
        assertThat(resource.getResource()).isSameAs(request.getResourceSpans(1).getResource());
        assertThat(resource.getScopeSpansList()).hasSize(1);
        assertThat(resource.getScopeSpans(0))
                .isSameAs(request.getResourceSpans(1).getScopeSpans(1));
    }

    @Test
    void aContainerThatCameEmptyStaysWhenNothingUnderItChanged() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance()))
                .addResourceSpans(resource("svc", scope("s", span("x", 1))))
                .build();

        ExportTraceServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public Span item(Span span, TreePosition at) {
                return span.toBuilder().setName("y").build();
            }
        });

        assertThat(walked.getResourceSpans(0)).isSameAs(request.getResourceSpans(0));
        assertThat(walked.getResourceSpans(1).getScopeSpans(0).getSpans(0).getName())
                .isEqualTo("y");
    }

    @Test
    void aResourceWhoseAttributesAreDroppedTakesItsItemsAlongAndIndexesStillNameTheSameItems() {
        ExportTraceServiceRequest request = spans();
        List<String> seen = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        ExportTraceServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return site == AttributeSite.RESOURCE;
            }

            @Override
            public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
                return at.resourceIndex() == 0 ? OtlpTree.DROP : attributes;
            }

            @Override
            public void itemDone(Span span, TreePosition at) {
                seen.add(span.getName());
                indexes.add(at.itemIndex());
            }
        });

        assertThat(walked.getResourceSpansList()).containsExactly(request.getResourceSpans(1));
        assertThat(seen).containsExactly("b1", "b2");
        assertThat(indexes).containsExactly(3, 4);
    }

    @Test
    void attributesAreVisitedAtEverySiteInOrderAndReplacedWhereTheVisitorSaysSo() {
        Span span = span("a", 1).toBuilder()
                .addEvents(Span.Event.newBuilder().setName("e").addAttributes(attribute("k", "event")))
                .addLinks(Span.Link.newBuilder().addAttributes(attribute("k", "link")))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("svc", scope("s", span)))
                .build();
        List<AttributeSite> order = new ArrayList<>();

        ExportTraceServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return true;
            }

            @Override
            public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
                order.add(site);
                return site == AttributeSite.SPAN_LINK ? List.of(attribute("k", "replaced")) : attributes;
            }

            @Override
            public Span item(Span item, TreePosition at) {
                order.add(null);
                return item;
            }
        });

        assertThat(order)
                .containsExactly(
                        AttributeSite.RESOURCE,
                        AttributeSite.SCOPE,
                        AttributeSite.SPAN,
                        null,
                        AttributeSite.SPAN_EVENT,
                        AttributeSite.SPAN_LINK);
        Span out = walked.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(out.getLinks(0).getAttributes(0).getValue().getStringValue()).isEqualTo("replaced");
        assertThat(out.getEvents(0)).isSameAs(span.getEvents(0));
        assertThat(out.getAttributesList()).isEqualTo(span.getAttributesList());
    }

    @Test
    void droppingAnEventsAttributesDropsTheSpan() {
        Span span = span("a", 1).toBuilder()
                .addEvents(Span.Event.newBuilder().addAttributes(attribute("k", "v")))
                .build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("svc", scope("s", span, span("b", 1))))
                .build();
        List<Span> done = new ArrayList<>();

        ExportTraceServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return site == AttributeSite.SPAN_EVENT;
            }

            @Override
            public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
                return OtlpTree.DROP;
            }

            @Override
            public void itemDone(Span item, TreePosition at) {
                done.add(item);
            }
        });

        assertThat(walked.getResourceSpans(0).getScopeSpans(0).getSpansList())
                .extracting(Span::getName)
                .containsExactly("b");
        assertThat(done).hasSize(2).first().isNull();
    }

    @Test
    void logRecordsAndTheirScopesAreWalkedLikeSpans() {
        ExportLogsServiceRequest request = logs();
        List<String> scopes = new ArrayList<>();
        ExportLogsServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public InstrumentationScope scope(InstrumentationScope scope, TreePosition at) {
                scopes.add(scope.getName());
                return scope.getName().equals("drop") ? null : scope;
            }
        });

        assertThat(scopes).containsExactly("keep", "drop");
        assertThat(walked.getResourceLogs(0).getScopeLogsList())
                .containsExactly(request.getResourceLogs(0).getScopeLogs(0));
    }

    @Test
    void dataPointsOfEveryTypeAreItemsWithTheirMetricInThePositionAndExemplarsAreVisited() {
        ExportMetricsServiceRequest request = metrics();
        List<String> seen = new ArrayList<>();
        ExportMetricsServiceRequest walked = OtlpTree.walk(request, new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return site == AttributeSite.EXEMPLAR;
            }

            @Override
            public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
                return List.of();
            }

            @Override
            public Message item(Message point, TreePosition at) {
                seen.add(at.metric().getName() + "#" + at.itemIndex());
                return DataPoints.timeUnixNano(point) == 2 ? null : point;
            }
        });

        assertThat(seen).containsExactly("gauge#0", "gauge#1", "latency#2");
        Metric gauge = walked.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
        assertThat(gauge.getGauge().getDataPointsList()).hasSize(1);
        Metric latency = walked.getResourceMetrics(0).getScopeMetrics(0).getMetrics(1);
        assertThat(latency.getHistogram().getDataPoints(0).getExemplars(0).getFilteredAttributesList())
                .isEmpty();
        assertThat(OtlpTree.count(walked)).isEqualTo(2);
    }

    @Test
    void aMetricLeftWithoutDataPointsIsRemoved() {
        ExportMetricsServiceRequest walked = OtlpTree.walk(metrics(), new TreeVisitor<>() {
            @Override
            public Message item(Message point, TreePosition at) {
                return point instanceof NumberDataPoint ? null : point;
            }
        });

        assertThat(walked.getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
                .extracting(Metric::getName)
                .containsExactly("latency");
    }

    @Test
    void aRequestWhoseItemsAllShareAKeyIsItsOwnOnlyPart() {
        ExportTraceServiceRequest request = spans();

        List<OtlpTree.Part<String, ExportTraceServiceRequest>> parts = OtlpTree.partition(request, (s, at) -> "all");

        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).request()).isSameAs(request);
        assertThat(parts.get(0).items()).isEqualTo(5);
    }

    @Test
    void partsKeepTheStructureOfTheirItemsInOrderOfFirstAppearance() {
        ExportTraceServiceRequest request = spans();

        List<OtlpTree.Part<String, ExportTraceServiceRequest>> parts =
                OtlpTree.partition(request, (span, at) -> span.getName().endsWith("2") ? "two" : "other");

        assertThat(parts).extracting(OtlpTree.Part::key).containsExactly("other", "two");
        ExportTraceServiceRequest other = parts.get(0).request();
        ExportTraceServiceRequest two = parts.get(1).request();
        assertThat(parts.get(0).items()).isEqualTo(3);
        assertThat(names(other)).containsExactly("a1", "a3", "b1");
        assertThat(names(two)).containsExactly("a2", "b2");
        // b1 alone in its scope: that scope goes to "other" as it is; b2's scope likewise to "two"
        assertThat(other.getResourceSpans(1).getScopeSpans(0))
                .isSameAs(request.getResourceSpans(1).getScopeSpans(0));
        assertThat(two.getResourceSpans(1).getScopeSpans(0))
                .isSameAs(request.getResourceSpans(1).getScopeSpans(1));
        assertThat(two.getResourceSpans(0).getResource())
                .isSameAs(request.getResourceSpans(0).getResource());
    }

    @Test
    void itemsWithoutAKeyAreInNoPart() {
        List<OtlpTree.Part<String, ExportTraceServiceRequest>> parts =
                OtlpTree.partition(spans(), (span, at) -> span.getName().startsWith("a") ? "a" : null);

        assertThat(parts).hasSize(1);
        assertThat(names(parts.get(0).request())).containsExactly("a1", "a2", "a3");
        assertThat(parts.get(0).request().getResourceSpansList()).hasSize(1);
    }

    @Test
    void aMetricWhosePointsHaveSeveralKeysIsCopiedIntoEachPart() {
        ExportMetricsServiceRequest request = metrics();

        List<OtlpTree.Part<Long, ExportMetricsServiceRequest>> parts =
                OtlpTree.partition(request, (point, at) -> DataPoints.timeUnixNano(point) % 2);

        assertThat(parts).extracting(OtlpTree.Part::key).containsExactly(1L, 0L);
        ScopeMetrics odd = parts.get(0).request().getResourceMetrics(0).getScopeMetrics(0);
        ScopeMetrics even = parts.get(1).request().getResourceMetrics(0).getScopeMetrics(0);
        assertThat(odd.getMetricsList()).extracting(Metric::getName).containsExactly("gauge", "latency");
        assertThat(odd.getMetrics(0).getGauge().getDataPointsCount()).isEqualTo(1);
        assertThat(odd.getMetrics(1))
                .isSameAs(request.getResourceMetrics(0).getScopeMetrics(0).getMetrics(1));
        assertThat(even.getMetricsList()).extracting(Metric::getName).containsExactly("gauge");
        assertThat(parts).extracting(OtlpTree.Part::items).containsExactly(2L, 1L);
    }

    @Test
    void forEachReadsEveryItemInOrderWithItsPathInTheRequest() {
        List<String> seen = new ArrayList<>();
        OtlpTree.forEach(
                spans(),
                (span, at) -> seen.add(span.getName() + "@" + at.resourceIndex() + "." + at.scopeIndex() + "."
                        + at.itemInContainer() + "#" + at.itemIndex()));
        List<String> points = new ArrayList<>();
        OtlpTree.forEach(metrics(), (point, at) -> points.add(at.metric().getName() + "." + at.itemInContainer()));

        assertThat(seen).containsExactly("a1@0.0.0#0", "a2@0.0.1#1", "a3@0.1.0#2", "b1@1.0.0#3", "b2@1.1.0#4");
        assertThat(points).containsExactly("gauge.0", "gauge.1", "latency.0");
    }

    @Test
    void countsItemsOfEverySignal() {
        assertThat(OtlpTree.count(spans())).isEqualTo(5);
        assertThat(OtlpTree.count(logs())).isEqualTo(3);
        assertThat(OtlpTree.count(metrics())).isEqualTo(3);
    }

    private static TreeVisitor<Span> visitingEverySite() {
        return new TreeVisitor<>() {
            @Override
            public boolean visits(AttributeSite site) {
                return true;
            }
        };
    }

    private static List<String> names(ExportTraceServiceRequest request) {
        List<String> names = new ArrayList<>();
        request.getResourceSpansList()
                .forEach(r -> r.getScopeSpansList()
                        .forEach(s -> s.getSpansList().forEach(span -> names.add(span.getName()))));
        return names;
    }

    /** Resource 0: scope s0 (a1, a2), scope s1 (a3); resource 1: scope s2 (b1), scope s3 (b2). */
    private static ExportTraceServiceRequest spans() {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource("a", scope("s0", span("a1", 1), span("a2", 1)), scope("s1", span("a3", 2))))
                .addResourceSpans(resource("b", scope("s2", span("b1", 3)), scope("s3", span("b2", 3))))
                .build();
    }

    private static ExportLogsServiceRequest logs() {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "l")))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("keep"))
                                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1))
                                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(2)))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("drop"))
                                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(3))))
                .build();
    }

    /** A gauge with points at times 1 and 2, a histogram with one point at time 3 carrying an exemplar. */
    private static ExportMetricsServiceRequest metrics() {
        Metric gauge = Metric.newBuilder()
                .setName("gauge")
                .setGauge(Gauge.newBuilder()
                        .addDataPoints(
                                NumberDataPoint.newBuilder().setTimeUnixNano(1).addAttributes(attribute("k", "1")))
                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(2)))
                .build();
        Metric latency = Metric.newBuilder()
                .setName("latency")
                .setHistogram(Histogram.newBuilder()
                        .addDataPoints(HistogramDataPoint.newBuilder()
                                .setTimeUnixNano(3)
                                .addExemplars(Exemplar.newBuilder().addFilteredAttributes(attribute("user", "u")))))
                .build();
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "m")))
                        .addScopeMetrics(
                                ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(latency)))
                .build();
    }

    private static ResourceSpans resource(String service, ScopeSpans... scopes) {
        return ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addAllScopeSpans(List.of(scopes))
                .build();
    }

    private static ScopeSpans scope(String name, Span... spans) {
        return ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName(name).addAttributes(attribute("scope.k", name)))
                .addAllSpans(List.of(spans))
                .build();
    }

    private static Span span(String name, int trace) {
        return Span.newBuilder()
                .setName(name)
                .setTraceId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) trace}))
                .addAttributes(attribute("span.k", name))
                .build();
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }
}
