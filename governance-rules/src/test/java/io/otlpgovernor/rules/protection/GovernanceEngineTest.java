package io.otlpgovernor.rules.protection;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GovernanceEngineTest {

    private static final HmacKeyring KEYS = new HmacKeyring(
            "k1",
            Map.of(
                    "k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                    "k2", "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8)));

    private final GovernanceEngine engine = new GovernanceEngine(Map.of("t", KEYS));

    private static CompiledRules rules(String body) {
        try {
            String tenant = "tenant: t\nversion: 1\n" + body;
            return CompiledRules.compile(
                    RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", tenant)))
                            .tenant("t")
                            .orElseThrow(),
                    KEYS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final String LOYALTY = """
            classification:
              patterns:
                - id: loyalty
                  regex: 'ACME-[0-9]{8}'
                  label: pii
            """;

    private static ExportTraceServiceRequest spanWith(String key, AnyValue value) {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("s", 1).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .addAttributes(KeyValue.newBuilder().setKey("http.method").setValue(text("GET")))
                .addAttributes(KeyValue.newBuilder().setKey(key).setValue(value));
        return request.build();
    }

    private static AnyValue text(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static Span onlySpan(ExportTraceServiceRequest request) {
        return request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private static String attribute(Span span, String key) {
        return span.getAttributesList().stream()
                .filter(a -> a.getKey().equals(key))
                .findFirst()
                .map(a -> a.getValue().getStringValue())
                .orElse(null);
    }

    @Test
    void redactsEachMatchAndKeepsTheRestOfTheValue() {
        CompiledRules rules = rules(LOYALTY + "protection:\n  - label: pii\n    action: redact\n");

        var governed = engine.governSpans(rules, spanWith("note", text("card ACME-12345678 and ACME-87654321 seen")));

        assertThat(attribute(onlySpan(governed.request()), "note"))
                .isEqualTo("card [REDACTED:loyalty] and [REDACTED:loyalty] seen");
        assertThat(attribute(onlySpan(governed.request()), "http.method")).isEqualTo("GET");
        assertThat(governed.decisions().counts())
                .containsExactly(Map.entry(new Finding("loyalty", "pii", Action.REDACT, "span.attributes[note]"), 2L));
        assertThat(governed.decisions().labels()).containsExactly("pii");
    }

    @Test
    void hashesEqualValuesToEqualTokensNamingTheKey() {
        CompiledRules current = rules(LOYALTY + "protection:\n  - label: pii\n    action: hash\n");
        CompiledRules older = rules(LOYALTY + "protection:\n  - label: pii\n    action: hash\n    key-id: k2\n");

        String a = attribute(
                onlySpan(engine.governSpans(current, spanWith("id", text("ACME-12345678")))
                        .request()),
                "id");
        String b = attribute(
                onlySpan(engine.governSpans(current, spanWith("id", text("ACME-12345678")))
                        .request()),
                "id");
        String other = attribute(
                onlySpan(engine.governSpans(current, spanWith("id", text("ACME-12345679")))
                        .request()),
                "id");
        String underK2 = attribute(
                onlySpan(engine.governSpans(older, spanWith("id", text("ACME-12345678")))
                        .request()),
                "id");

        assertThat(a).matches("hmac:k1:[A-Za-z0-9_-]{22}").isEqualTo(b).isNotEqualTo(other);
        assertThat(underK2).startsWith("hmac:k2:").isNotEqualTo(a.replace("k1", "k2"));
    }

    @Test
    void dropsTheAttributeOrTheWholeSpan() {
        CompiledRules dropAttribute = rules(LOYALTY + "protection:\n  - label: pii\n    action: drop-attribute\n");
        CompiledRules dropRecord = rules(LOYALTY + "protection:\n  - rule: loyalty\n    action: drop-record\n");
        ExportTraceServiceRequest request = spanWith("id", text("ACME-12345678"));

        var withoutAttribute = engine.governSpans(dropAttribute, request);
        var withoutSpan = engine.governSpans(dropRecord, request);

        assertThat(onlySpan(withoutAttribute.request()).getAttributesList())
                .extracting(KeyValue::getKey)
                .containsExactly("http.method");
        assertThat(withoutSpan.request().getResourceSpansList())
                .as("a resource left empty goes too")
                .isEmpty();
        assertThat(withoutSpan.itemsIn()).isEqualTo(1);
        assertThat(withoutSpan.itemsOut()).isZero();
        assertThat(withoutSpan.decisions().droppedItems()).isEqualTo(1);
    }

    @Test
    void aDropRecordRuleOnAResourceAttributeDropsEverythingUnderIt() {
        CompiledRules rules = rules(LOYALTY + "protection:\n  - label: pii\n    action: drop-record\n");
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("s", 3).toBuilder();
        request.getResourceSpansBuilder(0)
                .getResourceBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("owner").setValue(text("ACME-12345678")));

        var governed = engine.governSpans(rules, request.build());

        assertThat(governed.request().getResourceSpansList()).isEmpty();
        assertThat(governed.itemsIn()).isEqualTo(3);
        assertThat(governed.decisions().droppedItems()).isEqualTo(3);
    }

    @Test
    void tagsWithoutChangingAnything() {
        CompiledRules rules = rules(LOYALTY);
        ExportTraceServiceRequest request = spanWith("id", text("ACME-12345678"));

        var governed = engine.governSpans(rules, request);

        assertThat(governed.request()).isSameAs(request);
        assertThat(governed.decisions().labels()).containsExactly("pii");
        assertThat(governed.decisions().counts().keySet())
                .extracting(Finding::action)
                .containsExactly(Action.TAG);
    }

    @Test
    void returnsTheSameRequestWhenNothingMatches() {
        CompiledRules rules = rules(LOYALTY + "protection:\n  - label: pii\n    action: redact\n");
        ExportTraceServiceRequest request = spanWith("note", text("nothing to see"));

        var governed = engine.governSpans(rules, request);

        assertThat(governed.request()).isSameAs(request);
        assertThat(governed.decisions().isEmpty()).isTrue();
    }

    @Test
    void classifiesIntegersArraysAndNestedLists() {
        CompiledRules rules = rules("""
                classification:
                  patterns:
                    - id: account
                      regex: '4[0-9]{15}'
                      label: pci
                protection:
                  - label: pci
                    action: redact
                """);
        AnyValue nested = AnyValue.newBuilder()
                .setKvlistValue(KeyValueList.newBuilder()
                        .addValues(KeyValue.newBuilder().setKey("pan").setValue(text("4111111111111111")))
                        .addValues(KeyValue.newBuilder().setKey("ok").setValue(text("fine"))))
                .build();
        ExportTraceServiceRequest.Builder request = spanWith("nested", nested).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .addAttributes(KeyValue.newBuilder()
                        .setKey("number")
                        .setValue(AnyValue.newBuilder().setIntValue(4111111111111111L)));

        var governed = engine.governSpans(rules, request.build());

        Span span = onlySpan(governed.request());
        assertThat(attribute(span, "number")).isEqualTo("[REDACTED:account]");
        KeyValueList list = span.getAttributesList().stream()
                .filter(a -> a.getKey().equals("nested"))
                .findFirst()
                .orElseThrow()
                .getValue()
                .getKvlistValue();
        assertThat(list.getValues(0).getValue().getStringValue()).isEqualTo("[REDACTED:account]");
        assertThat(list.getValues(1).getValue().getStringValue()).isEqualTo("fine");
        assertThat(governed.decisions().counts().keySet())
                .extracting(Finding::fieldPath)
                .containsExactlyInAnyOrder("span.attributes[number]", "span.attributes[nested][pan]");
    }

    @Test
    void classifiesAttributesByTheirKeyName() {
        CompiledRules rules = rules(
                "classification:\n  key-names:\n    enabled: true\nprotection:\n  - label: secret\n    action: redact\n");

        var governed = engine.governSpans(rules, spanWith("db.password", text("hunter2")));

        assertThat(attribute(onlySpan(governed.request()), "db.password")).isEqualTo("[REDACTED:sensitive-key-name]");
        assertThat(governed.decisions().counts().keySet())
                .extracting(Finding::rule)
                .containsExactly("sensitive-key-name");
    }

    @Test
    void leavesExcludedKeysAndUnselectedSitesAlone() {
        CompiledRules rules = rules("""
                classification:
                  fields:
                    attributes: [log]
                  exclude-keys: [safe]
                  patterns:
                    - id: loyalty
                      regex: 'ACME-[0-9]{8}'
                      label: pii
                protection:
                  - label: pii
                    action: redact
                """);
        ExportTraceServiceRequest spans = spanWith("id", text("ACME-12345678"));
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("l", 1).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .addAttributes(KeyValue.newBuilder().setKey("safe").setValue(text("ACME-12345678")))
                .addAttributes(KeyValue.newBuilder().setKey("id").setValue(text("ACME-12345678")));

        assertThat(engine.governSpans(rules, spans).request()).isSameAs(spans);
        LogRecord record = engine.governLogs(rules, logs.build())
                .request()
                .getResourceLogs(0)
                .getScopeLogs(0)
                .getLogRecords(0);
        assertThat(record.getAttributesList())
                .extracting(a -> a.getValue().getStringValue())
                .containsExactly("ACME-12345678", "[REDACTED:loyalty]");
    }

    @Test
    void protectsLogBodiesAndSpanNamesWhenAsked() {
        CompiledRules rules = rules("""
                classification:
                  fields:
                    span-names: true
                  patterns:
                    - id: loyalty
                      regex: 'ACME-[0-9]{8}'
                      label: pii
                protection:
                  - label: pii
                    action: redact
                """);
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("l", 1).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setBody(text("user ACME-12345678 logged in"));
        ExportTraceServiceRequest.Builder spans = OtlpFixtures.spans("s", 1).toBuilder();
        spans.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("GET /loyalty/ACME-12345678");

        var governedLogs = engine.governLogs(rules, logs.build());
        var governedSpans = engine.governSpans(rules, spans.build());

        assertThat(governedLogs
                        .request()
                        .getResourceLogs(0)
                        .getScopeLogs(0)
                        .getLogRecords(0)
                        .getBody()
                        .getStringValue())
                .isEqualTo("user [REDACTED:loyalty] logged in");
        assertThat(onlySpan(governedSpans.request()).getName()).isEqualTo("GET /loyalty/[REDACTED:loyalty]");
        assertThat(governedLogs.decisions().counts().keySet())
                .extracting(Finding::fieldPath)
                .containsExactly("log.body");
        assertThat(governedSpans.decisions().counts().keySet())
                .extracting(Finding::fieldPath)
                .containsExactly("span.name");
    }

    @Test
    void dropsDataPointsAndMetricsLeftEmpty() {
        CompiledRules rules = rules(LOYALTY + "protection:\n  - label: pii\n    action: drop-record\n");
        ExportMetricsServiceRequest.Builder request = OtlpFixtures.gaugePoints("visits", 2).toBuilder();
        NumberDataPoint.Builder point = request.getResourceMetricsBuilder(0)
                .getScopeMetricsBuilder(0)
                .getMetricsBuilder(0)
                .getGaugeBuilder()
                .getDataPointsBuilder(1);
        point.addAttributes(KeyValue.newBuilder().setKey("customer").setValue(text("ACME-12345678")));

        var governed = engine.governMetrics(rules, request.build());

        assertThat(governed.request()
                        .getResourceMetrics(0)
                        .getScopeMetrics(0)
                        .getMetrics(0)
                        .getGauge()
                        .getDataPointsCount())
                .isEqualTo(1);
        assertThat(governed.itemsIn()).isEqualTo(2);
        assertThat(governed.itemsOut()).isEqualTo(1);
    }

    @Test
    void protectsAnAttributeKeyThatIsItselfSensitiveAndMasksItInFieldPaths() {
        CompiledRules rules = rules(LOYALTY + "protection:\n  - label: pii\n    action: redact\n");
        AnyValue body = AnyValue.newBuilder()
                .setKvlistValue(KeyValueList.newBuilder()
                        .addValues(KeyValue.newBuilder().setKey("ACME-12345678").setValue(text("ACME-87654321"))))
                .build();
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("l", 1).toBuilder();
        logs.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setBody(body);

        var governed = engine.governLogs(rules, logs.build());

        assertThat(governed.decisions().counts().keySet())
                .extracting(Finding::fieldPath)
                .containsExactlyInAnyOrder("log.body[*]", "log.body[*].key");
        KeyValue entry = governed.request()
                .getResourceLogs(0)
                .getScopeLogs(0)
                .getLogRecords(0)
                .getBody()
                .getKvlistValue()
                .getValues(0);
        assertThat(entry.getKey()).isEqualTo("[REDACTED:loyalty]");
        assertThat(entry.getValue().getStringValue()).isEqualTo("[REDACTED:loyalty]");
    }

    @Test
    void refusesToCompileAHashRuleWhoseKeyIsMissing() {
        assertThatThrownBy(() -> CompiledRules.compile(
                        RuleLoader.load(new RuleSources(Map.of(
                                        "tenants/t.yaml",
                                        "tenant: t\nversion: 1\n" + LOYALTY
                                                + "protection:\n  - label: pii\n    action: hash\n    key-id: k9\n")))
                                .tenant("t")
                                .orElseThrow(),
                        KEYS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "tenant t: protection of label pii hashes with HMAC key 'k9', which is not in the tenant's keyring");
    }

    @Test
    void extraKeyNamesMatchWholeWordsOfTheKey() {
        CompiledRules rules = rules(
                "classification:\n  key-names:\n    extra: [cvv, Card_Verification]\nprotection:\n  - label: secret\n    action: redact\n");

        assertThat(attribute(
                        onlySpan(engine.governSpans(rules, spanWith("payment.card.cvv", text("123")))
                                .request()),
                        "payment.card.cvv"))
                .isEqualTo("[REDACTED:sensitive-key-name]");
        assertThat(attribute(
                        onlySpan(engine.governSpans(rules, spanWith("cardVerification", text("123")))
                                .request()),
                        "cardVerification"))
                .isEqualTo("[REDACTED:sensitive-key-name]");
        assertThat(attribute(
                        onlySpan(engine.governSpans(rules, spanWith("cvvx.version", text("123")))
                                .request()),
                        "cvvx.version"))
                .isEqualTo("123");
    }
}
