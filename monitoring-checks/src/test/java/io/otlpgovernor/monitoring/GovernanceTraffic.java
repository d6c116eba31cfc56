package io.otlpgovernor.monitoring;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real OTLP traffic that makes every metric the dashboard and the alerts use get a value: through the bridge for
 * tenant {@code watched} (rules in {@code src/test/resources/monitoring-rules}) — redaction, a dropped record, a
 * request over quota, head sampling, tail decisions (keep, drop, cap), an item too old for its tier, metric series
 * over the cardinality limit — and for a tenant without rules; a refused key and a partly invalid request; a record that is not OTLP written straight to
 * Kafka; an accepted and a rejected rule-set update; a data-subject record the job rejects.
 */
final class GovernanceTraffic {

    static final String TENANT = "watched";
    static final String KEY = "watched-monitoring-key-01";
    static final String UNRULED_KEY = "unruled-monitoring-key-01";
    static final Map<String, String> TENANT_BY_KEY = Map.of(KEY, TENANT, UNRULED_KEY, "unruled");

    /** The tenant's {@code cardinality.max-series-per-metric} in {@code tenants/watched.yaml}. */
    static final int SERIES_PER_METRIC = 2;
    /** Series of the metric sent over the limit: {@link #SERIES_PER_METRIC} of them fill it, the others are dropped. */
    static final int CROWDED_SERIES = 5;
    /** Series of the other metric sent, which exactly fill its limit. */
    static final int FITTING_SERIES = 2;

    /**
     * The only trace tail sampling keeps (every other trace reaching it has a randomness the 50 % policy drops), so a
     * keep decision means this one is decided; a span of it sent after that is a late item.
     */
    private static final ByteString KEPT_TRACE = Otlp.traceId(1, true);

    private final RunningSystem system;
    private final Path rulesDirectory;

    GovernanceTraffic(RunningSystem system, Path rulesDirectory) {
        this.system = system;
        this.rulesDirectory = rulesDirectory;
    }

    /** Everything except the late span, which must wait for the kept trace's decision ({@link #sendLateSpan()}). */
    void send() throws Exception {
        sendSpans();
        ok("/v1/logs", Otlp.logs("payment by jane@example.com failed", "cart emptied"));
        sendMetrics();
        assertThat(system.post(
                        "/v1/traces",
                        UNRULED_KEY,
                        Otlp.spans(List.of(Otlp.span(Otlp.traceId(9, true), "no rules", false)))))
                .as("a tenant without rules is still accepted by the bridge")
                .isEqualTo(200);
        assertThat(system.post(
                        "/v1/traces",
                        "not-a-known-key-000001",
                        Otlp.spans(List.of(Otlp.span(Otlp.traceId(10, true), "x", false)))))
                .isEqualTo(401);
        ok("/v1/traces", partlyInvalidSpans());
        // Not OTLP and no tenant header: the job dead-letters it.
        system.produce("otlp_spans", null, "not an export request".getBytes(StandardCharsets.UTF_8));
        publishRuleUpdates();
        // Not a subject entry: every governing task rejects it (the alert on rejected data-subject requests).
        system.produce(
                TopicNames.SUBJECTS,
                (TENANT + "/s-broken").getBytes(StandardCharsets.UTF_8),
                "{".getBytes(StandardCharsets.UTF_8));
    }

    private void sendSpans() {
        ok(
                "/v1/traces",
                Otlp.spans(List.of(
                        Otlp.span(KEPT_TRACE, "checkout failed", true),
                        // Tail sampling drops this trace (no error, randomness below the 50 % policy); its name is
                        // redacted.
                        Otlp.span(Otlp.traceId(2, false), "checkout for jane@example.com", false),
                        // Dropped by head sampling's health-check rule.
                        Otlp.span(Otlp.traceId(3, false), "GET /health", false, "http.route", "/health"),
                        // Dropped whole by the drop-record protection of the secret label.
                        Otlp.span(Otlp.traceId(4, false), "lookup FORBIDDEN-1234", false),
                        // Older than the standard tier's 30 days.
                        Otlp.span(Otlp.traceId(5, false), "ancient", false, 40L * 24 * 3600 * 1000))));
        // Reaches the tail sampler's cap of 3 spans: decided at once.
        ByteString capped = Otlp.traceId(6, false);
        ok(
                "/v1/traces",
                Otlp.spans(List.of(
                        Otlp.span(capped, "a", false), Otlp.span(capped, "b", false), Otlp.span(capped, "c", false))));
        // 150 items against a bucket of 100: the quota drops the request whole.
        List<Span> flood = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            flood.add(Otlp.span(Otlp.traceId(100 + i, false), "flood", false));
        }
        ok("/v1/traces", Otlp.spans(flood));
    }

    /**
     * Gauges against the limit of {@value #SERIES_PER_METRIC} series per metric: one metric's series fill it exactly
     * (100 % used), the other one's {@value #CROWDED_SERIES} series are over it, and the data points of the series
     * beyond the limit are dropped. The cardinality gauges follow at the operator's next minute timer.
     */
    private void sendMetrics() {
        ok("/v1/metrics", Otlp.gauge("cart.size", FITTING_SERIES));
        ok("/v1/metrics", Otlp.gauge("checkout.queue.depth", CROWDED_SERIES));
    }

    /** A span of the kept trace, after its decision: follows the cached verdict and counts as late. */
    void sendLateSpan() {
        ok("/v1/traces", Otlp.spans(List.of(Otlp.span(KEPT_TRACE, "retry", false))));
    }

    /** One valid span and one with a 5-byte trace id: the bridge writes the first and answers partial success. */
    private static io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest partlyInvalidSpans() {
        Span invalid = Otlp.span(Otlp.traceId(11, true), "bad id", false).toBuilder()
                .setTraceId(ByteString.copyFrom(new byte[5]))
                .build();
        return Otlp.spans(List.of(Otlp.span(Otlp.traceId(12, false), "good id", false), invalid));
    }

    /** Version 2 of the tenant's rules (accepted), then a version 3 that does not validate (rejected). */
    private void publishRuleUpdates() throws Exception {
        String file = Files.readString(rulesDirectory.resolve("tenants/" + TENANT + ".yaml"));
        publish(2, file.replace("version: 1", "version: 2"));
        publish(3, file.replace("version: 1", "version: 3").replace("over-quota: drop", "over-quota: shrug"));
    }

    private void publish(long version, String tenantFile) throws Exception {
        RuleSetMessage message = new RuleSetMessage(TENANT, version, Map.of("tenants/" + TENANT + ".yaml", tenantFile));
        system.produce(TopicNames.RULES, TENANT.getBytes(StandardCharsets.UTF_8), message.toJson());
    }

    private void ok(String path, com.google.protobuf.MessageLite request) {
        assertThat(system.post(path, KEY, request)).as("POST %s", path).isEqualTo(200);
    }
}
