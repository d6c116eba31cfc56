package io.otlpgovernor.rules.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSources;
import io.otlpgovernor.rules.sampling.SamplingFixtures;
import io.otlpgovernor.rules.sampling.SamplingItems;
import io.otlpgovernor.rules.sampling.head.HeadSampler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class RequestGovernorTest {

    /** The arrival time of every request: a fixed instant, so no test depends on the wall clock. */
    private static final long NOW = 1_780_000_000_000L;

    private static final long VERSION = 3;

    private static final int MAX_RECORD_BYTES = 64 * 1024;

    /** Half of the 2^56 randomness values are rejected: {@code th:8}, every kept item stands for two. */
    private static final long HALF = 1L << 55;

    /** Finds e-mail addresses and card numbers and redacts them; cards kept longest, debug logs shortest. */
    private static final TenantRules SHOP = rules("shop", """
            classification:
              detectors:
                - id: email
                - id: payment-card
              fields:
                log-bodies: true
            protection:
              - label: pii
                action: redact
              - label: pci
                action: redact
            retention:
              rules:
                - id: cards-kept-long
                  tier: compliance
                  when:
                    labels: [pci]
                - id: debug-logs-short
                  tier: short
                  when:
                    signals: [logs]
                    attributes:
                      severity: debug
            """);

    /** Tail sampling as the job's {@code tailed} test tenant has it, cards kept longest. */
    private static final TenantRules TAILED = rules("tailed", """
            classification:
              detectors:
                - id: payment-card
            protection:
              - label: pci
                action: redact
            retention:
              rules:
                - id: cards-kept-long
                  tier: compliance
                  when:
                    labels: [pci]
            sampling:
              tail:
                decision-wait: 2s
                max-spans-per-trace: 20
                decision-cache-ttl: 5s
                policies:
                  - id: errors
                    type: status-error
                  - id: one-in-ten
                    type: probabilistic
                    probability: 0.1
            """);

    private final RequestGovernor governor = new RequestGovernor(Map.of(), MAX_RECORD_BYTES);

    @Test
    void anUntouchedRequestIsOneRecordWithTheBytesItArrivedWith() throws IOException {
        byte[] payload = nonCanonical(spans(span("op", 1L << 54, NOW, "http.method", "GET")));
        assertThat(ExportTraceServiceRequest.parseFrom(payload).toByteArray())
                .as("re-encoding the request would change its bytes")
                .isNotEqualTo(payload);

        RequestGovernor.Outcome outcome = governor.govern(admitted("shop", Signal.SPANS, payload, 1, 0), SHOP);

        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(record.payload()).isEqualTo(payload);
            assertThat(record.tenant()).isEqualTo("shop");
            assertThat(record.signal()).isEqualTo(Signal.SPANS);
            assertThat(record.tier()).isEqualTo("standard");
            assertThat(record.ruleSetVersion()).isEqualTo(VERSION);
            assertThat(record.labels()).isEmpty();
            assertThat(record.items()).isEqualTo(1);
        });
        assertThat(outcome.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.minuteMillis()).isEqualTo(UsageDelta.minuteOf(NOW));
            assertThat(usage.tier()).isEqualTo("standard");
            assertThat(usage.accepted()).isEqualTo(1);
            assertThat(usage.bytesOut()).isEqualTo(payload.length);
            assertThat(usage.represented()).isEqualTo(1.0);
            assertThat(usage.droppedSampling() + usage.droppedPolicy() + usage.droppedAge())
                    .isZero();
        });
        assertThat(outcome.audit())
                .extracting(AuditDelta::rule, AuditDelta::action, AuditDelta::target, AuditDelta::count)
                .containsExactly(tuple("default", "route", "standard", 1L));
        assertThat(outcome.pieces()).isEmpty();
    }

    @Test
    void aChangedRequestsRecordsCopyTheBytesOfWhatGoverningLeftAlone() throws IOException {
        Span untouched = span("list", 1L << 54, NOW, "http.method", "GET", "http.route", "/orders");
        Span personal = span("checkout", 2L << 54, NOW, "http.method", "POST", "user.email", "ana@example.com");
        Span card = span("pay", 3L << 54, NOW, "card", "4111 1111 1111 1111", "http.method", "POST");
        // The untouched span's fields in an order protobuf would not write: re-encoding it would change them.
        byte[] untouchedBytes = nameLast(untouched);
        ByteArrayOutputStream scope = new ByteArrayOutputStream();
        CodedOutputStream scopeOut = CodedOutputStream.newInstance(scope);
        scopeOut.writeByteArray(2, untouchedBytes);
        scopeOut.writeByteArray(2, personal.toByteArray());
        scopeOut.writeByteArray(2, card.toByteArray());
        scopeOut.flush();
        byte[] payload = request(scope.toByteArray());
        ExportTraceServiceRequest arrived = ExportTraceServiceRequest.parseFrom(payload);
        assertThat(arrived.getResourceSpans(0).getScopeSpans(0).getSpansList())
                .containsExactly(untouched, personal, card);

        RequestGovernor.Outcome copied = governor.govern(admitted("shop", Signal.SPANS, payload, 3, 0), SHOP);
        RequestGovernor.Outcome encoded =
                governor.govern(admitted("shop", Signal.SPANS, arrived.toByteArray(), 3, 0), SHOP);

        assertThat(copied.records()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(ExportTraceServiceRequest.parseFrom(
                            copied.records().get(i).payload()))
                    .isEqualTo(ExportTraceServiceRequest.parseFrom(
                            encoded.records().get(i).payload()));
        }
        GovernedRecord standard = copied.records().get(1);
        assertThat(standard.tier()).isEqualTo("standard");
        assertThat(indexOf(standard.payload(), untouchedBytes))
                .as("the untouched span is the bytes it arrived as")
                .isPositive();
        assertThat(attributes(copied.records())).containsEntry("user.email", "[REDACTED:email]");
        assertThat(copied.usage()).isEqualTo(encoded.usage());
        assertThat(copied.audit()).isEqualTo(encoded.audit());
    }

    /** The span's bytes with its name after its other fields (protobuf writes field 5 before the times). */
    private static byte[] nameLast(Span span) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        span.toBuilder().clearName().build().writeTo(bytes);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(Span.NAME_FIELD_NUMBER, span.getName());
        out.flush();
        return bytes.toByteArray();
    }

    /** An export request of one resource container holding one scope container of {@code scopeFields}. */
    private static byte[] request(byte[] scopeFields) throws IOException {
        ByteArrayOutputStream resource = new ByteArrayOutputStream();
        CodedOutputStream resourceOut = CodedOutputStream.newInstance(resource);
        resourceOut.writeByteArray(2, scopeFields);
        resourceOut.flush();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        CodedOutputStream requestOut = CodedOutputStream.newInstance(request);
        requestOut.writeByteArray(1, resource.toByteArray());
        requestOut.flush();
        return request.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void metricsAreNeverDownsampledAndAnUntouchedOneKeepsItsBytes() {
        byte[] payload =
                Telemetry.gauge("queue.depth", 5, NOW, "queue", "orders").toByteArray();

        RequestGovernor.Outcome outcome = governor.govern(admitted("shop", Signal.METRICS, payload, 5, HALF), SHOP);

        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(record.signal()).isEqualTo(Signal.METRICS);
            assertThat(record.items()).isEqualTo(5);
            assertThat(record.payload()).isEqualTo(payload);
        });
        assertThat(outcome.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.accepted()).isEqualTo(5);
            assertThat(usage.represented()).isEqualTo(5.0);
        });
    }

    @Test
    void personalDataFoundIsProtectedAndAuditedWithoutItsValue() throws IOException {
        ExportTraceServiceRequest request = spans(
                span("checkout", 1L << 54, NOW, "user.email", "ana@example.com"),
                span("pay", 2L << 54, NOW, "card", "4111 1111 1111 1111"),
                span("notify", 3L << 54, NOW, "cc", "bob@example.org, eve@example.net"));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("shop", Signal.SPANS, request.toByteArray(), 3, 0), SHOP);

        List<String> secrets =
                List.of("ana@example.com", "bob@example.org", "eve@example.net", "4111 1111 1111 1111", "1111 1111");
        assertThat(outcome.records()).hasSize(2).allSatisfy(record -> {
            String bytes = new String(record.payload(), StandardCharsets.ISO_8859_1);
            secrets.forEach(secret -> assertThat(bytes).doesNotContain(secret));
        });
        assertThat(outcome.records())
                .extracting(GovernedRecord::tier, GovernedRecord::items)
                .containsExactly(tuple("compliance", 1L), tuple("standard", 2L));
        assertThat(attributes(outcome.records()))
                .containsEntry("user.email", "[REDACTED:email]")
                .containsEntry("card", "[REDACTED:payment-card]")
                .containsEntry("cc", "[REDACTED:email], [REDACTED:email]");
        assertThat(outcome.records())
                .as("each record carries the labels found in its own items")
                .extracting(GovernedRecord::labels)
                .containsExactly("pci", "pii");

        assertThat(outcome.audit())
                .extracting(
                        AuditDelta::rule, AuditDelta::label, AuditDelta::action, AuditDelta::target, AuditDelta::count)
                .containsExactlyInAnyOrder(
                        tuple("email", "pii", "redact", "span.attributes[user.email]", 1L),
                        tuple("email", "pii", "redact", "span.attributes[cc]", 2L),
                        tuple("payment-card", "pci", "redact", "span.attributes[card]", 1L),
                        tuple("cards-kept-long", "", "route", "compliance", 1L),
                        tuple("default", "", "route", "standard", 2L));
        assertThat(outcome.audit()).allSatisfy(audit -> {
            assertThat(audit.tenant()).isEqualTo("shop");
            assertThat(audit.arrivalMillis()).isEqualTo(NOW);
            assertThat(audit.ruleSetVersion()).isEqualTo(VERSION);
            String text = String.join("|", audit.rule(), audit.label(), audit.action(), audit.target());
            assertThat(text).doesNotContain("@example", "4111", "ana", "bob", "eve");
        });
    }

    @Test
    void dropRecordRulesRemoveItemsAndCountThemAsPolicyDrops() {
        TenantRules rules = rules("vault", """
                classification:
                  patterns:
                    - id: vault-token
                      regex: 'hvs\\.[A-Za-z0-9]{8}'
                      label: secret
                protection:
                  - label: secret
                    action: drop-record
                """);
        ExportLogsServiceRequest request = logs(
                log("login ok", NOW), log("token hvs.AbCdEfGh issued", NOW), log("logout", NOW, "severity", "info"));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("vault", Signal.LOGS, request.toByteArray(), 3, 0), rules);

        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(record.items()).isEqualTo(2);
            assertThat(new String(record.payload(), StandardCharsets.ISO_8859_1))
                    .contains("login ok", "logout")
                    .doesNotContain("hvs.");
            assertThat(record.labels())
                    .as("the dropped record's label left with it")
                    .isEmpty();
        });
        assertThat(outcome.usage())
                .filteredOn(usage -> usage.tier().isEmpty())
                .singleElement()
                .satisfies(usage -> {
                    assertThat(usage.droppedPolicy()).isEqualTo(1);
                    assertThat(usage.droppedSampling()).isZero();
                    assertThat(usage.droppedAge()).isZero();
                });
        assertThat(outcome.audit())
                .extracting(
                        AuditDelta::rule, AuditDelta::label, AuditDelta::action, AuditDelta::target, AuditDelta::count)
                .contains(tuple("vault-token", "secret", "drop-record", "log.body", 1L));
    }

    @Test
    void itemsAreSplitByRetentionTierIntoOneRecordPerTier() throws IOException {
        ExportLogsServiceRequest request = logs(
                log("started", NOW),
                log("cache miss", NOW, "severity", "debug"),
                log("paid with 4111 1111 1111 1111", NOW),
                log("cache hit", NOW, "severity", "debug"),
                log("stopped", NOW, "severity", "info"));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("shop", Signal.LOGS, request.toByteArray(), 5, 0), SHOP);

        assertThat(outcome.records())
                .extracting(GovernedRecord::tier, GovernedRecord::items)
                .containsExactly(tuple("compliance", 1L), tuple("short", 2L), tuple("standard", 2L));
        Map<String, List<String>> bodies = new TreeMap<>();
        for (GovernedRecord record : outcome.records()) {
            assertThat(record.signal()).isEqualTo(Signal.LOGS);
            ExportLogsServiceRequest part = ExportLogsServiceRequest.parseFrom(record.payload());
            assertThat(SamplingItems.count(part)).isEqualTo(record.items());
            assertThat(part.getResourceLogs(0).getResource())
                    .isEqualTo(request.getResourceLogs(0).getResource());
            bodies.put(record.tier(), bodies(part));
        }
        assertThat(bodies)
                .containsEntry("compliance", List.of("paid with [REDACTED:payment-card]"))
                .containsEntry("short", List.of("cache miss", "cache hit"))
                .containsEntry("standard", List.of("started", "stopped"));
        assertThat(outcome.usage())
                .extracting(UsageDelta::tier, UsageDelta::accepted, UsageDelta::bytesOut)
                .containsExactlyElementsOf(outcome.records().stream()
                        .map(r -> tuple(r.tier(), r.items(), (long) r.payload().length))
                        .toList());
        assertThat(outcome.audit())
                .filteredOn(audit -> audit.action().equals("route"))
                .extracting(AuditDelta::rule, AuditDelta::target, AuditDelta::count)
                .containsExactlyInAnyOrder(
                        tuple("cards-kept-long", "compliance", 1L),
                        tuple("debug-logs-short", "short", 2L),
                        tuple("default", "standard", 2L));
    }

    @Test
    void itemsOlderThanTheirTierKeepsDataAreDroppedAndCountedByAge() throws IOException {
        long weeksAgo = NOW - Duration.ofDays(31).toMillis();
        ExportTraceServiceRequest request = spans(
                span("fresh", 1L << 54, NOW),
                span("stale", 2L << 54, weeksAgo),
                span("stale-card", 3L << 54, weeksAgo, "card", "4111 1111 1111 1111"));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("shop", Signal.SPANS, request.toByteArray(), 3, 0), SHOP);

        // 31 days is past standard's 30 but within compliance's 400.
        assertThat(outcome.records())
                .extracting(GovernedRecord::tier, GovernedRecord::items)
                .containsExactly(tuple("compliance", 1L), tuple("standard", 1L));
        assertThat(names(outcome.records().get(1))).containsExactly("fresh");
        assertThat(outcome.usage())
                .filteredOn(usage -> usage.tier().isEmpty())
                .singleElement()
                .satisfies(usage -> {
                    assertThat(usage.droppedAge()).isEqualTo(1);
                    assertThat(usage.droppedSampling()).isZero();
                    assertThat(usage.droppedPolicy()).isZero();
                });
        assertThat(outcome.audit())
                .filteredOn(audit -> audit.action().equals("expire"))
                .extracting(AuditDelta::rule, AuditDelta::target, AuditDelta::count)
                .containsExactly(tuple("retention", "standard", 1L));

        RequestGovernor.Outcome allStale = governor.govern(
                admitted(
                        "shop",
                        Signal.SPANS,
                        spans(span("old", 1L << 54, weeksAgo), span("older", 2L << 54, weeksAgo))
                                .toByteArray(),
                        2,
                        0),
                SHOP);

        assertThat(allStale.records()).isEmpty();
        assertThat(allStale.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.accepted()).isZero();
            assertThat(usage.droppedAge()).isEqualTo(2);
        });
    }

    @Test
    void theQuotasThresholdDownsamplesAndTheKeptItemsCountForWhatTheyStandFor() throws IOException {
        List<Span> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(span("s" + i, (long) i << 53, NOW));
        }

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("shop", Signal.SPANS, spans(sent).toByteArray(), 8, HALF), SHOP);

        // Randomness i·2^53 passes 2^55 from i = 4 on.
        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(record.items()).isEqualTo(4);
            assertThat(names(record)).containsExactly("s4", "s5", "s6", "s7");
            assertThat(ExportTraceServiceRequest.parseFrom(record.payload())
                            .getResourceSpans(0)
                            .getScopeSpans(0)
                            .getSpansList())
                    .allSatisfy(span -> assertThat(span.getTraceState()).isEqualTo("ot=th:8"));
        });
        // The quota already counted what its threshold drops: governing counts only what is written.
        assertThat(outcome.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.accepted()).isEqualTo(4);
            assertThat(usage.represented()).isEqualTo(8.0);
            assertThat(usage.droppedSampling()).isZero();
        });
        assertThat(outcome.audit()).extracting(AuditDelta::action).doesNotContain("head-sample-drop");
    }

    @Test
    void headSamplingDropsBeforeClassifyingAndCountsEachRulesDrops() throws IOException {
        TenantRules rules = rules("sampled", """
                classification:
                  detectors:
                    - id: email
                protection:
                  - label: pii
                    action: redact
                sampling:
                  head:
                    default-probability: 0.5
                    rules:
                      - id: no-health-checks
                        when:
                          attributes:
                            http.route: /health
                        probability: 0
                """);
        ExportTraceServiceRequest request = spans(
                span("health-1", 7L << 53, NOW, "http.route", "/health"),
                span("low-1", 1L << 53, NOW, "user.email", "ana@example.com"),
                span("high-1", 5L << 53, NOW),
                span("health-2", 6L << 53, NOW, "http.route", "/health"),
                span("low-2", 2L << 53, NOW),
                span("high-2", 6L << 53, NOW));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("sampled", Signal.SPANS, request.toByteArray(), 6, 0), rules);

        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(names(record)).containsExactly("high-1", "high-2");
            assertThat(ExportTraceServiceRequest.parseFrom(record.payload())
                            .getResourceSpans(0)
                            .getScopeSpans(0)
                            .getSpansList())
                    .allSatisfy(span -> assertThat(span.getTraceState()).isEqualTo("ot=th:8"));
            assertThat(record.labels())
                    .as("the dropped address was never classified")
                    .isEmpty();
        });
        assertThat(outcome.usage())
                .extracting(UsageDelta::accepted, UsageDelta::represented, UsageDelta::droppedSampling)
                .containsExactlyInAnyOrder(tuple(2L, 4.0, 0L), tuple(0L, 0.0, 4L));
        assertThat(outcome.audit())
                .filteredOn(audit -> audit.action().equals("head-sample-drop"))
                .extracting(AuditDelta::rule, AuditDelta::count)
                .containsExactlyInAnyOrder(tuple("no-health-checks", 2L), tuple(HeadSampler.DEFAULT_RULE, 2L));
        assertThat(outcome.audit()).extracting(AuditDelta::action).doesNotContain("redact");
    }

    @Test
    void aTailSampledTenantsSpansWaitAsOnePiecePerTraceAndTier() throws IOException {
        ExportTraceServiceRequest request = spans(
                span("a1", 11, NOW),
                span("b1", 22, NOW),
                span("a2", 11, NOW),
                span("c1", 33, NOW),
                span("a3", 11, NOW, "card", "4111 1111 1111 1111"));

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("tailed", Signal.SPANS, request.toByteArray(), 5, 0), TAILED);

        assertThat(outcome.records()).isEmpty();
        assertThat(outcome.usage())
                .as("tail sampling counts them once it decides")
                .isEmpty();
        String a = TraceSplitter.key("tailed", SamplingFixtures.traceId(11));
        String b = TraceSplitter.key("tailed", SamplingFixtures.traceId(22));
        String c = TraceSplitter.key("tailed", SamplingFixtures.traceId(33));
        // Tiers come in name order, traces within a tier in order of first appearance.
        assertThat(outcome.pieces())
                .extracting(TracePiece::tier, TracePiece::key, TracePiece::items)
                .containsExactly(
                        tuple("compliance", a, 1L),
                        tuple("standard", a, 2L),
                        tuple("standard", b, 1L),
                        tuple("standard", c, 1L));
        for (TracePiece piece : outcome.pieces()) {
            ExportTraceServiceRequest spans = ExportTraceServiceRequest.parseFrom(piece.payload());
            assertThat(SamplingItems.count(spans)).isEqualTo(piece.items());
            assertThat(piece.tenant()).isEqualTo("tailed");
            assertThat(piece.signal()).isEqualTo(Signal.SPANS);
            assertThat(piece.ruleSetVersion()).isEqualTo(VERSION);
            assertThat(piece.arrivalMillis()).isEqualTo(NOW);
            assertThat(piece.represented()).isEqualTo(piece.items());
            assertThat(piece.summary()).isNotNull();
            assertThat(piece.summary().spans()).isEqualTo(piece.items());
        }
        assertThat(names(outcome.pieces().get(1).payload())).containsExactly("a1", "a2");
        assertThat(new String(outcome.pieces().get(0).payload(), StandardCharsets.ISO_8859_1))
                .doesNotContain("4111");
        assertThat(outcome.audit())
                .filteredOn(audit -> audit.action().equals("route"))
                .extracting(AuditDelta::target, AuditDelta::count)
                .containsExactlyInAnyOrder(tuple("compliance", 1L), tuple("standard", 4L));
    }

    @Test
    void aTailSampledTenantsTracedLogsWaitWithTheirTraceAndTheOthersAreWritten() throws IOException {
        ExportLogsServiceRequest request = logs(
                log("in a", NOW).toBuilder()
                        .setTraceId(SamplingFixtures.traceId(11))
                        .build(),
                log("alone 1", NOW),
                log("in b", NOW).toBuilder()
                        .setTraceId(SamplingFixtures.traceId(22))
                        .build(),
                log("alone 2", NOW).toBuilder()
                        .setTraceId(ByteString.copyFrom(new byte[16]))
                        .build());

        RequestGovernor.Outcome outcome =
                governor.govern(admitted("tailed", Signal.LOGS, request.toByteArray(), 4, 0), TAILED);

        assertThat(outcome.pieces())
                .extracting(TracePiece::key, TracePiece::signal, TracePiece::items, TracePiece::summary)
                .containsExactly(
                        tuple(TraceSplitter.key("tailed", SamplingFixtures.traceId(11)), Signal.LOGS, 1L, null),
                        tuple(TraceSplitter.key("tailed", SamplingFixtures.traceId(22)), Signal.LOGS, 1L, null));
        assertThat(bodies(ExportLogsServiceRequest.parseFrom(
                        outcome.pieces().get(1).payload())))
                .containsExactly("in b");
        assertThat(outcome.records()).singleElement().satisfies(record -> {
            assertThat(record.items()).isEqualTo(2);
            assertThat(bodies(ExportLogsServiceRequest.parseFrom(record.payload())))
                    .containsExactly("alone 1", "alone 2");
        });
        assertThat(outcome.usage()).singleElement().satisfies(usage -> {
            assertThat(usage.accepted()).isEqualTo(2);
            assertThat(usage.bytesOut()).isEqualTo(outcome.records().get(0).payload().length);
        });
    }

    @Test
    void aTenantWithoutTailSamplingWritesSpansStraightAway() throws IOException {
        RequestGovernor.Outcome outcome = governor.govern(
                admitted(
                        "shop",
                        Signal.SPANS,
                        spans(span("a1", 11, NOW), span("b1", 22, NOW)).toByteArray(),
                        2,
                        0),
                SHOP);

        assertThat(outcome.pieces()).isEmpty();
        assertThat(outcome.records())
                .singleElement()
                .satisfies(r -> assertThat(r.items()).isEqualTo(2));
    }

    @Test
    void aRequestLargerThanARecordIsWrittenInRecordsThatFitEachSpanOnce() throws IOException {
        int maxBytes = 8 * 1024;
        ExportTraceServiceRequest request = Telemetry.spans("large", 40, NOW, "note", "n".repeat(1_000));
        assertThat(request.getSerializedSize()).isGreaterThan(4 * maxBytes);

        RequestGovernor.Outcome outcome = new RequestGovernor(Map.of(), maxBytes)
                .govern(admitted("shop", Signal.SPANS, request.toByteArray(), 40, 0), SHOP);

        assertThat(outcome.records()).hasSizeGreaterThan(4);
        List<String> written = new ArrayList<>();
        for (GovernedRecord record : outcome.records()) {
            assertThat(record.payload().length).isLessThanOrEqualTo(maxBytes);
            assertThat(record.tier()).isEqualTo("standard");
            ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(record.payload());
            assertThat(SamplingItems.count(part)).isEqualTo(record.items());
            assertThat(part.getResourceSpans(0).getResource())
                    .isEqualTo(request.getResourceSpans(0).getResource());
            written.addAll(names(record));
        }
        assertThat(outcome.records().stream().mapToLong(GovernedRecord::items).sum())
                .isEqualTo(40);
        assertThat(written)
                .containsExactlyElementsOf(request.getResourceSpans(0).getScopeSpans(0).getSpansList().stream()
                        .map(Span::getName)
                        .toList());
        assertThat(outcome.usage())
                .extracting(UsageDelta::accepted, UsageDelta::bytesOut, UsageDelta::represented)
                .containsExactlyElementsOf(outcome.records().stream()
                        .map(r -> tuple(r.items(), (long) r.payload().length, (double) r.items()))
                        .toList());
    }

    // --- fixtures ---

    private static TenantRules rules(String tenant, String body) {
        String file = "tenant: " + tenant + "\nversion: " + VERSION + "\n" + body;
        try {
            RuleSet set = RuleLoader.load(new RuleSources(Map.of("tenants/" + tenant + ".yaml", file)))
                    .tenant(tenant)
                    .orElseThrow();
            return TenantRules.compile(set, null, RetentionRules.BUILT_IN_TIERS.keySet());
        } catch (Exception e) {
            throw new AssertionError("test rules must load", e);
        }
    }

    private static AdmittedRecord admitted(String tenant, Signal signal, byte[] payload, long items, long threshold) {
        String topic = "otlp_" + signal.name().toLowerCase(Locale.ROOT);
        return new AdmittedRecord(
                new DecodedRecord(
                        tenant,
                        signal,
                        payload,
                        items,
                        NOW,
                        signal == Signal.METRICS ? null : new char[(int) items],
                        new SourcePosition(topic, 0, 1)),
                threshold,
                VERSION);
    }

    /** A server span of the trace with randomness {@code randomness}, ended at {@code endMillis}. */
    private static Span span(String name, long randomness, long endMillis, String... attributes) {
        Span.Builder span = SamplingFixtures.span(name, randomness).toBuilder()
                .setStartTimeUnixNano((endMillis - 5) * 1_000_000)
                .setEndTimeUnixNano(endMillis * 1_000_000);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            span.addAttributes(SamplingFixtures.attribute(attributes[i], attributes[i + 1]));
        }
        return span.build();
    }

    private static ExportTraceServiceRequest spans(Span... spans) {
        return Telemetry.spans(List.of(spans));
    }

    private static ExportTraceServiceRequest spans(List<Span> spans) {
        return Telemetry.spans(spans);
    }

    /** A log record without a trace id, with body {@code body} at {@code millis}. */
    private static LogRecord log(String body, long millis, String... attributes) {
        LogRecord.Builder log = SamplingFixtures.log(body, -1).toBuilder().setTimeUnixNano(millis * 1_000_000);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            log.addAttributes(SamplingFixtures.attribute(attributes[i], attributes[i + 1]));
        }
        return log.build();
    }

    private static ExportLogsServiceRequest logs(LogRecord... records) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(SamplingFixtures.resource("checkout"))
                        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
                .build();
    }

    /**
     * {@code request} encoded validly but not in protobuf's canonical field order (its resource after its scopes),
     * so a re-encoded copy has other bytes.
     */
    private static byte[] nonCanonical(ExportTraceServiceRequest request) throws IOException {
        ResourceSpans canonical = request.getResourceSpans(0);
        ByteArrayOutputStream resourceSpans = new ByteArrayOutputStream();
        canonical.toBuilder().clearResource().build().writeTo(resourceSpans);
        ResourceSpans.newBuilder().setResource(canonical.getResource()).build().writeTo(resourceSpans);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeByteArray(1, resourceSpans.toByteArray());
        coded.flush();
        return out.toByteArray();
    }

    private static List<String> names(GovernedRecord record) throws IOException {
        return names(record.payload());
    }

    private static List<String> names(byte[] payload) throws IOException {
        List<String> names = new ArrayList<>();
        ExportTraceServiceRequest.parseFrom(payload)
                .getResourceSpansList()
                .forEach(r -> r.getScopeSpansList()
                        .forEach(s -> s.getSpansList().forEach(span -> names.add(span.getName()))));
        return names;
    }

    private static List<String> bodies(ExportLogsServiceRequest request) {
        List<String> bodies = new ArrayList<>();
        request.getResourceLogsList()
                .forEach(r -> r.getScopeLogsList()
                        .forEach(s -> s.getLogRecordsList()
                                .forEach(log -> bodies.add(log.getBody().getStringValue()))));
        return bodies;
    }

    /** Every span attribute of the records, by key (string values). */
    private static Map<String, String> attributes(List<GovernedRecord> records) throws IOException {
        Map<String, String> attributes = new HashMap<>();
        for (GovernedRecord record : records) {
            ExportTraceServiceRequest.parseFrom(record.payload())
                    .getResourceSpansList()
                    .forEach(r -> r.getScopeSpansList()
                            .forEach(s -> s.getSpansList().forEach(span -> {
                                for (KeyValue attribute : span.getAttributesList()) {
                                    AnyValue value = attribute.getValue();
                                    attributes.put(attribute.getKey(), value.getStringValue());
                                }
                            })));
        }
        return attributes;
    }
}
