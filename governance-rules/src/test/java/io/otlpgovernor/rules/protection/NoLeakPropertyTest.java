package io.otlpgovernor.rules.protection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: whatever the shape of the data, no value that a redact or hash rule matched survives anywhere in the
 * governed output (binary or JSON) or in the decisions. Thousands of seeded random requests plant known sensitive
 * values at random places — attributes at every site, nested lists and arrays, log bodies, span names — inside
 * random surrounding text.
 */
class NoLeakPropertyTest {

    private static final int CASES = 3000;
    private static final HmacKeyring KEYS =
            new HmacKeyring("k1", Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));

    private static final String RULES = """
            tenant: t
            version: 1
            classification:
              fields:
                span-names: true
              detectors:
                - id: email
                - id: payment-card
                - id: us-ssn
                - id: iban
                - id: ipv4
                - id: jwt
                - id: cloud-access-key
              key-names:
                enabled: true
            protection:
              - label: pii
                action: hash
              - label: pci
                action: redact
              - label: secret
                action: redact
            """;

    /** Values each detector must find whole, in any surrounding text. */
    private static final String[] SECRETS = {
        "jane.doe@example.org",
        "x.y+tag@mail.example.co.uk",
        "4111 1111 1111 1111",
        "5555555555554444",
        "378282246310005",
        "123-45-6789",
        "GB82 WEST 1234 5698 7654 32",
        "DE89370400440532013000",
        "203.0.113.7",
        "198.51.100.23",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "AKIAIOSFODNN7EXAMPLE",
    };
    /** Surrounding text. Values touch it only through punctuation or space, as in real messages and attributes. */
    private static final String[] PREFIXES = {"", "user ", "id=", "; ", "(", "\t", "card: ", "[", "from "};

    private static final String[] SUFFIXES = {"", " seen at checkout", "; ", ")", "\t", " and more", "]", ", done"};

    @Test
    void noRedactedOrHashedValueSurvivesAnywhere() throws Exception {
        CompiledRules rules = CompiledRules.compile(
                RuleLoader.load(new RuleSources(Map.of("tenants/t.yaml", RULES)))
                        .tenant("t")
                        .orElseThrow(),
                KEYS);
        GovernanceEngine engine = new GovernanceEngine(Map.of("t", KEYS));
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < CASES; i++) {
            List<String> planted = new ArrayList<>();
            ExportTraceServiceRequest spans = randomSpans(random, planted);
            ExportLogsServiceRequest logs = randomLogs(random, planted);

            var governedSpans = engine.governSpans(rules, spans);
            var governedLogs = engine.governLogs(rules, logs);

            String output = new String(governedSpans.request().toByteArray(), StandardCharsets.ISO_8859_1)
                    + OtlpJson.print(governedSpans.request())
                    + new String(governedLogs.request().toByteArray(), StandardCharsets.ISO_8859_1)
                    + OtlpJson.print(governedLogs.request())
                    + governedSpans.decisions().counts()
                    + governedSpans.decisions().labels()
                    + governedLogs.decisions().counts()
                    + governedLogs.decisions().labels();
            for (String secret : planted) {
                assertThat(output).as("case %d leaks a planted value", i).doesNotContain(secret);
            }
        }
    }

    private static ExportTraceServiceRequest randomSpans(SplittableRandom random, List<String> planted) {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("s", 1 + random.nextInt(3)).toBuilder();
        var resource = request.getResourceSpansBuilder(0);
        if (random.nextBoolean()) {
            resource.getResourceBuilder().addAttributes(randomAttribute(random, planted, 0));
        }
        var scope = resource.getScopeSpansBuilder(0);
        for (int s = 0; s < scope.getSpansCount(); s++) {
            var span = scope.getSpansBuilder(s);
            for (int a = 0; a < 1 + random.nextInt(4); a++) {
                span.addAttributes(randomAttribute(random, planted, 0));
            }
            if (random.nextInt(4) == 0) {
                String secret = pick(random);
                planted.add(secret);
                span.setName("GET " + prefix(random) + secret + suffix(random));
            }
            span.addEventsBuilder().setName("event").addAttributes(randomAttribute(random, planted, 0));
            span.addLinksBuilder()
                    .setTraceId(OtlpFixtures.id(16, 7))
                    .setSpanId(OtlpFixtures.id(8, 7))
                    .addAttributes(randomAttribute(random, planted, 0));
        }
        return request.build();
    }

    private static ExportLogsServiceRequest randomLogs(SplittableRandom random, List<String> planted) {
        ExportLogsServiceRequest.Builder request = OtlpFixtures.logs("l", 1 + random.nextInt(3)).toBuilder();
        var scope = request.getResourceLogsBuilder(0).getScopeLogsBuilder(0);
        for (int r = 0; r < scope.getLogRecordsCount(); r++) {
            var record = scope.getLogRecordsBuilder(r);
            record.setBody(randomValue(random, planted, 0));
            record.addAttributes(randomAttribute(random, planted, 0));
        }
        return request.build();
    }

    private static KeyValue randomAttribute(SplittableRandom random, List<String> planted, int depth) {
        String key = switch (random.nextInt(4)) {
            case 0 -> "user.password";
            case 1 -> "note";
            case 2 -> "http.request.header.authorization";
            default -> "attr" + random.nextInt(100);
        };
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(randomValue(random, planted, depth))
                .build();
    }

    private static AnyValue randomValue(SplittableRandom random, List<String> planted, int depth) {
        int kind = depth >= 2 ? 0 : random.nextInt(6);
        return switch (kind) {
            case 4 -> {
                ArrayValue.Builder array = ArrayValue.newBuilder();
                for (int i = 0; i < 1 + random.nextInt(3); i++) {
                    array.addValues(randomValue(random, planted, depth + 1));
                }
                yield AnyValue.newBuilder().setArrayValue(array).build();
            }
            case 5 -> {
                KeyValueList.Builder list = KeyValueList.newBuilder();
                for (int i = 0; i < 1 + random.nextInt(3); i++) {
                    list.addValues(randomAttribute(random, planted, depth + 1));
                }
                yield AnyValue.newBuilder().setKvlistValue(list).build();
            }
            default -> {
                String secret = pick(random);
                planted.add(secret);
                yield AnyValue.newBuilder()
                        .setStringValue(prefix(random) + secret + suffix(random))
                        .build();
            }
        };
    }

    private static String pick(SplittableRandom random) {
        return SECRETS[random.nextInt(SECRETS.length)];
    }

    private static String prefix(SplittableRandom random) {
        return PREFIXES[random.nextInt(PREFIXES.length)];
    }

    private static String suffix(SplittableRandom random) {
        return SUFFIXES[random.nextInt(SUFFIXES.length)];
    }
}
