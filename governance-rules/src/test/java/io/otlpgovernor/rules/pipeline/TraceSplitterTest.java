package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.SamplingFixtures.log;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.resource;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.span;
import static io.otlpgovernor.rules.sampling.SamplingFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

class TraceSplitterTest {

    private static final Resource CHECKOUT = resource("checkout");
    private static final Resource BILLING = resource("billing");
    private static final InstrumentationScope HTTP = scope("http");
    private static final InstrumentationScope DB = scope("db");

    private static final ByteString A = traceId(0xa);
    private static final ByteString B = traceId(0xb);
    private static final ByteString C = traceId(0xc);

    @Test
    void spansAreGroupedByTraceInOrderOfFirstAppearanceUnderTheirOwnResourceAndScope() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(CHECKOUT)
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(HTTP)
                                .addSpans(span("b1", 0xb))
                                .addSpans(span("a1", 0xa))
                                .addSpans(span("b2", 0xb)))
                        .addScopeSpans(ScopeSpans.newBuilder().setScope(DB).addSpans(span("a2", 0xa))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(BILLING)
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(HTTP)
                                .addSpans(span("c1", 0xc))
                                .addSpans(span("a3", 0xa))))
                .build();

        Map<ByteString, ExportTraceServiceRequest> traces = TraceSplitter.spans(request);

        assertThat(traces.keySet()).containsExactly(B, A, C);
        assertThat(layout(traces.get(B))).containsExactly("checkout/http: b1 b2");
        assertThat(layout(traces.get(A))).containsExactly("checkout/http: a1", "checkout/db: a2", "billing/http: a3");
        assertThat(layout(traces.get(C))).containsExactly("billing/http: c1");
        traces.forEach((trace, part) -> part.getResourceSpansList()
                .forEach(r -> r.getScopeSpansList()
                        .forEach(s -> assertThat(s.getSpansList())
                                .allSatisfy(spanOf ->
                                        assertThat(spanOf.getTraceId()).isEqualTo(trace)))));
    }

    @Test
    void spansOfOneTraceAreOnePartHoldingThemAll() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(CHECKOUT)
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(HTTP)
                                .addSpans(span("a1", 0xa))
                                .addSpans(span("a2", 0xa))))
                .build();

        assertThat(TraceSplitter.spans(request)).containsOnlyKeys(A).containsEntry(A, request);
    }

    @Test
    void anEmptyRequestHasNoTraces() {
        assertThat(TraceSplitter.spans(ExportTraceServiceRequest.getDefaultInstance()))
                .isEmpty();
        assertThat(TraceSplitter.logs(ExportLogsServiceRequest.getDefaultInstance()))
                .isEmpty();
    }

    @Test
    void logsAreGroupedByTraceAndThoseWithoutATraceIdUnderEmpty() {
        LogRecord zeroTrace = log("zero", -1).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[16]))
                .build();
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(CHECKOUT)
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(HTTP)
                                .addLogRecords(log("a1", 0xa))
                                .addLogRecords(log("none", -1))
                                .addLogRecords(log("b1", 0xb))))
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(BILLING)
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .setScope(DB)
                                .addLogRecords(zeroTrace)
                                .addLogRecords(log("a2", 0xa))))
                .build();

        Map<ByteString, ExportLogsServiceRequest> traces = TraceSplitter.logs(request);

        assertThat(traces.keySet()).containsExactly(A, ByteString.EMPTY, B);
        assertThat(layout(traces.get(A))).containsExactly("checkout/http: a1", "billing/db: a2");
        assertThat(layout(traces.get(ByteString.EMPTY))).containsExactly("checkout/http: none", "billing/db: zero");
        assertThat(layout(traces.get(B))).containsExactly("checkout/http: b1");
        assertThat(traces.get(ByteString.EMPTY)
                        .getResourceLogs(1)
                        .getScopeLogs(0)
                        .getLogRecords(0))
                .as("a record keeps its all-zero trace id as it was")
                .isEqualTo(zeroTrace);
    }

    @Test
    void theKeyIsTheTenantAndTheTraceIdInLowerCaseHex() {
        ByteString traceId = ByteString.copyFrom(new byte[] {
            0x00,
            0x01,
            0x02,
            0x03,
            0x04,
            0x05,
            0x06,
            0x07,
            (byte) 0x89,
            (byte) 0xab,
            (byte) 0xcd,
            (byte) 0xef,
            0x10,
            0x20,
            0x30,
            (byte) 0xff
        });

        assertThat(TraceSplitter.key("shop", traceId)).isEqualTo("shop/0001020304050607" + "89abcdef102030ff");
        assertThat(TraceSplitter.key("shop", A)).isNotEqualTo(TraceSplitter.key("shop", B));
        assertThat(TraceSplitter.key("shop", A)).isNotEqualTo(TraceSplitter.key("other", A));
    }

    @Test
    void onlyAnAbsentOrAllZeroTraceIdIsNoTrace() {
        assertThat(TraceSplitter.isZero(ByteString.EMPTY)).isTrue();
        assertThat(TraceSplitter.isZero(ByteString.copyFrom(new byte[16]))).isTrue();
        byte[] lastByteSet = new byte[16];
        lastByteSet[15] = 1;
        assertThat(TraceSplitter.isZero(ByteString.copyFrom(lastByteSet))).isFalse();
        assertThat(TraceSplitter.isZero(C)).isFalse();
    }

    private static InstrumentationScope scope(String name) {
        return InstrumentationScope.newBuilder().setName(name).setVersion("1.0").build();
    }

    /** Each scope of a part as {@code service/scope: item item …}, checking resources and scopes are whole. */
    private static List<String> layout(ExportTraceServiceRequest request) {
        List<String> out = new ArrayList<>();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                out.add(where(resource.getResource(), scope.getScope()) + ": "
                        + String.join(
                                " ",
                                scope.getSpansList().stream().map(Span::getName).toList()));
            }
        }
        return out;
    }

    private static List<String> layout(ExportLogsServiceRequest request) {
        List<String> out = new ArrayList<>();
        for (ResourceLogs resource : request.getResourceLogsList()) {
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                out.add(where(resource.getResource(), scope.getScope()) + ": "
                        + String.join(
                                " ",
                                scope.getLogRecordsList().stream()
                                        .map(r -> r.getBody().getStringValue())
                                        .toList()));
            }
        }
        return out;
    }

    private static String where(Resource resource, InstrumentationScope scope) {
        String service = resource.equals(CHECKOUT) ? "checkout" : resource.equals(BILLING) ? "billing" : "?";
        assertThat(scope).isIn(HTTP, DB);
        return service + "/" + scope.getName();
    }
}
