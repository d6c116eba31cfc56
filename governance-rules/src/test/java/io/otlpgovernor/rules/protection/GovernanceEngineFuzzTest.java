package io.otlpgovernor.rules.protection;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine under the shipped GDPR preset, on spans and logs whose attributes (keys, values, nesting) come from the
 * fuzzer, with one e-mail address planted among them. Properties: governing never throws; the planted address —
 * personal data GDPR hashes — appears neither in the governed request nor in the decisions (findings name rules
 * and field paths, never values).
 */
class GovernanceEngineFuzzTest {

    private static final String EMAIL = "jane.doe@example.org";
    private static final HmacKeyring KEYS =
            new HmacKeyring("k1", Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    private static final CompiledRules GDPR = gdprTenant();
    private static final int MAX_DEPTH = 6;

    private final GovernanceEngine engine = new GovernanceEngine(Map.of("t", KEYS));

    @FuzzTest(maxDuration = "10s")
    void neverThrowsAndNeverLetsAPlantedEmailThrough(FuzzedDataProvider data) {
        ExportTraceServiceRequest.Builder spans = OtlpFixtures.spans("s", 1).toBuilder();
        Span.Builder span =
                spans.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0);
        ExportLogsServiceRequest.Builder logs = OtlpFixtures.logs("l", 1).toBuilder();
        LogRecord.Builder log =
                logs.getResourceLogsBuilder(0).getScopeLogsBuilder(0).getLogRecordsBuilder(0);
        int attributes = data.consumeInt(0, 6);
        int planted = data.consumeInt(0, attributes);
        for (int i = 0; i <= attributes; i++) {
            KeyValue attribute = i == planted ? plantedAttribute(data) : attribute(data, 0);
            span.addAttributes(attribute);
            log.addAttributes(attribute);
        }
        log.setBody(value(data, 0));

        var governedSpans = engine.governSpans(GDPR, spans.build());
        var governedLogs = engine.governLogs(GDPR, logs.build());

        assertThat(text(governedSpans.request().toByteArray())).doesNotContain(EMAIL);
        assertThat(governedSpans.decisions().counts().keySet().toString()).doesNotContain(EMAIL);
        assertThat(text(governedLogs.request().toByteArray())).doesNotContain(EMAIL);
        assertThat(governedLogs.decisions().counts().keySet().toString()).doesNotContain(EMAIL);
    }

    /** An attribute holding the address, at the top or nested in a list or array, between fuzzed text. */
    private static KeyValue plantedAttribute(FuzzedDataProvider data) {
        // Spaces around it: a neighbouring character could otherwise extend the address into another, longer one.
        AnyValue value = text(data.consumeString(40) + " " + EMAIL + " " + data.consumeString(40));
        int nesting = data.consumeInt(0, 3);
        for (int level = 0; level < nesting; level++) {
            value = data.consumeBoolean()
                    ? AnyValue.newBuilder()
                            .setArrayValue(ArrayValue.newBuilder().addValues(value))
                            .build()
                    : AnyValue.newBuilder()
                            .setKvlistValue(KeyValueList.newBuilder()
                                    .addValues(KeyValue.newBuilder()
                                            .setKey(data.consumeString(20))
                                            .setValue(value)))
                            .build();
        }
        return KeyValue.newBuilder()
                .setKey(data.consumeString(30))
                .setValue(value)
                .build();
    }

    private static KeyValue attribute(FuzzedDataProvider data, int depth) {
        return KeyValue.newBuilder()
                .setKey(data.consumeString(30))
                .setValue(value(data, depth))
                .build();
    }

    private static AnyValue value(FuzzedDataProvider data, int depth) {
        int kind = data.consumeInt(0, depth < MAX_DEPTH ? 5 : 3);
        return switch (kind) {
            case 0 -> text(data.consumeString(200));
            case 1 -> AnyValue.newBuilder().setIntValue(data.consumeLong()).build();
            case 2 -> AnyValue.newBuilder().setDoubleValue(data.consumeDouble()).build();
            case 3 ->
                AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFrom(data.consumeBytes(50)))
                        .build();
            case 4 -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    array.addValues(value(data, depth + 1));
                }
                yield AnyValue.newBuilder().setArrayValue(array).build();
            }
            default -> {
                KeyValueList.Builder list = KeyValueList.newBuilder();
                for (int i = data.consumeInt(0, 4); i > 0; i--) {
                    list.addValues(attribute(data, depth + 1));
                }
                yield AnyValue.newBuilder().setKvlistValue(list).build();
            }
        };
    }

    private static AnyValue text(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static CompiledRules gdprTenant() {
        Map<String, String> files =
                new HashMap<>(RuleSources.fromDirectory(Path.of("rules")).files());
        files.keySet().removeIf(path -> path.startsWith(RuleSources.TENANTS));
        files.put("tenants/t.yaml", "tenant: t\nversion: 1\nextends: [gdpr]\n");
        try {
            return CompiledRules.compile(
                    RuleLoader.load(new RuleSources(files)).tenant("t").orElseThrow(), KEYS);
        } catch (Exception e) {
            throw new IllegalStateException("the shipped GDPR preset does not load", e);
        }
    }
}
