package io.otlpgovernor.rules.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ItemRandomnessTest {

    /** Tracestates of every kind the sampler distinguishes: none, vendors only, rv, th, malformed. */
    private static final String[] TRACE_STATE_SHAPES = {
        "",
        "congo=x",
        "ot=rv:%s",
        "congo=x,ot=th:8;rv:%s;k1:13",
        "ot=th:c",
        "ot=rv:%S",
        "ot=rv:f000",
        "Congo=x,ot=rv:%s",
        "ot=th:0;rv:%s"
    };

    @Test
    void spansDrawWhatTheSamplerDrawsForRandomTraceIdsAndTracestates() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 20_000; i++) {
            Span span = randomSpan(random);
            long r = ItemRandomness.of(span).value();
            int t16 = random.nextInt(1 << 16);
            Threshold fourDigits = new Threshold((long) t16 << 40);
            Threshold anyDigits = new Threshold(random.nextLong(1L << 56));

            assertThat(ConsistentSampler.withThreshold(fourDigits)
                            .decide(span.getTraceState(), span.getTraceId())
                            .kept())
                    .as("span %s at %s", span.getTraceState(), fourDigits)
                    .isEqualTo(r >= fourDigits.value())
                    .isEqualTo(ItemRandomness.high16(r) >= t16);
            assertThat(ConsistentSampler.withThreshold(anyDigits)
                            .decide(span.getTraceState(), span.getTraceId())
                            .kept())
                    .isEqualTo(r >= anyDigits.value());
        }
    }

    @Test
    void explicitRandomnessTakesPrecedenceOverTheTraceId() {
        Span span = span(traceId(0x00000000000001L), "congo=x,ot=rv:f0000000000000");

        assertThat(ItemRandomness.of(span)).isEqualTo(new Randomness(0xf0000000000000L));
    }

    @Test
    void anInvalidRvFallsBackToTheTraceId() {
        ByteString traceId = traceId(0x123456789abcdeL);

        assertThat(ItemRandomness.of(span(traceId, "ot=rv:F0000000000000")).value())
                .isEqualTo(0x123456789abcdeL);
        assertThat(ItemRandomness.of(span(traceId, "ot=rv:f000")).value()).isEqualTo(0x123456789abcdeL);
        assertThat(ItemRandomness.of(span(traceId, "ot=rv:f0000000000000;rv:f0000000000000"))
                        .value())
                .isEqualTo(0x123456789abcdeL);
    }

    @Test
    void theRequestArrayHoldsTheHigh16BitsOfEverySpanInFlattenedOrder() {
        SplittableRandom random = new SplittableRandom(2);
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        List<Span> flattened = new ArrayList<>();
        for (int resource = 0; resource < 3; resource++) {
            ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
            for (int scope = 0; scope < 3; scope++) {
                ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
                for (int i = 0; i < resource + scope; i++) {
                    Span span = randomSpan(random);
                    scopeSpans.addSpans(span);
                    flattened.add(span);
                }
                resourceSpans.addScopeSpans(scopeSpans);
            }
            request.addResourceSpans(resourceSpans);
        }

        char[] randomness = ItemRandomness.spans(request.build());

        assertThat(randomness).hasSize(flattened.size());
        for (int i = 0; i < flattened.size(); i++) {
            assertThat(randomness[i])
                    .isEqualTo((char) (ItemRandomness.of(flattened.get(i)).value() >>> 40));
        }
        assertThat(ItemRandomness.spans(ExportTraceServiceRequest.getDefaultInstance()))
                .isEmpty();
    }

    @Test
    void spansWithoutAUsableTraceIdDrawFromTheirBytesAndNeverThrow() {
        Span zeros = span(ByteString.copyFrom(new byte[16]), "");
        Span shortId = span(ByteString.copyFrom(new byte[8]), "congo=x");
        Span empty = span(ByteString.EMPTY, "");

        assertThat(ItemRandomness.of(zeros).value()).isEqualTo(Xxh64.hash(zeros.toByteArray(), 0) >>> 8);
        assertThat(ItemRandomness.of(shortId).value()).isEqualTo(Xxh64.hash(shortId.toByteArray(), 0) >>> 8);
        assertThat(ItemRandomness.of(empty))
                .isEqualTo(ItemRandomness.of(empty.toBuilder().build()));
    }

    @Test
    void logsWithATraceIdDrawFromItUnlessTheyCarryExplicitRandomness() {
        ByteString traceId = traceId(0xabcdef01234567L);
        LogRecord plain = log(traceId, "a");
        LogRecord explicit = log(traceId, "a", attribute("sampling.randomness", "10000000000000"));
        LogRecord unusable = log(
                traceId, "a", attribute("sampling.randomness", "10000000000000"), attribute("sampling.threshold", "X"));

        assertThat(ItemRandomness.of(plain).value()).isEqualTo(0xabcdef01234567L);
        assertThat(ItemRandomness.of(explicit).value()).isEqualTo(0x10000000000000L);
        // A malformed sampling.threshold makes the pair unusable, as a malformed ot entry does: the sampler then
        // reads the trace id, and so does this.
        assertThat(ItemRandomness.of(unusable).value()).isEqualTo(0xabcdef01234567L);
    }

    @Test
    void logsWithoutTraceIdDrawADeterministicHashOfTheirBytes() {
        LogRecord record = log(ByteString.EMPTY, "payment failed");
        LogRecord same = log(ByteString.EMPTY, "payment failed");
        LogRecord other = log(ByteString.EMPTY, "payment failed!");
        LogRecord zeroTraceId = log(ByteString.copyFrom(new byte[16]), "payment failed");
        LogRecord explicit =
                log(ByteString.EMPTY, "payment failed", attribute("sampling.randomness", "00000000000042"));

        assertThat(ItemRandomness.of(record)).isEqualTo(ItemRandomness.of(same));
        assertThat(ItemRandomness.of(record).value()).isEqualTo(Xxh64.hash(record.toByteArray(), 0) >>> 8);
        assertThat(ItemRandomness.of(other)).isNotEqualTo(ItemRandomness.of(record));
        assertThat(ItemRandomness.of(zeroTraceId).value()).isEqualTo(Xxh64.hash(zeroTraceId.toByteArray(), 0) >>> 8);
        assertThat(ItemRandomness.of(explicit).value()).isEqualTo(0x42L);
    }

    @Test
    void logsDrawWhatTheSamplerDrawsAndHashedOnesWhatItReadsOnceTheRandomnessIsWrittenOut() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int kind = random.nextInt(4);
            ByteString traceId = kind == 0 ? ByteString.EMPTY : randomTraceId(random);
            String rv = kind == 2 ? Hex56.full(random.nextLong(1L << 56)) : "";
            String th = kind == 3 ? "8" : "";
            List<KeyValue> attributes = new ArrayList<>();
            if (!rv.isEmpty()) {
                attributes.add(attribute("sampling.randomness", rv));
            }
            if (!th.isEmpty()) {
                attributes.add(attribute("sampling.threshold", th));
            }
            LogRecord record = log(traceId, "line " + i, attributes.toArray(KeyValue[]::new));
            long r = ItemRandomness.of(record).value();
            Threshold threshold = new Threshold((long) random.nextInt(1 << 16) << 40);

            OtelTraceState state = kind == 0
                    ? OtelTraceState.ofLogAttributes(th, Hex56.full(r))
                    : OtelTraceState.ofLogAttributes(th, rv);
            assertThat(ConsistentSampler.withThreshold(threshold)
                            .decide(state, traceId)
                            .kept())
                    .as("log kind %d at %s", kind, threshold)
                    .isEqualTo(r >= threshold.value());
        }
    }

    @Test
    void theLogArrayHoldsTheHigh16BitsOfEveryRecordInFlattenedOrder() {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(log(ByteString.EMPTY, "x")))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(log(traceId(0x12345600000000L), "y"))
                                .addLogRecords(log(traceId(0xfedcba00000000L), "z"))))
                .addResourceLogs(OtlpFixtures.logs("fixture", 2).getResourceLogs(0))
                .build();

        char[] randomness = ItemRandomness.logs(request);

        assertThat(randomness).hasSize(5);
        assertThat(randomness[0]).isEqualTo((char)
                (ItemRandomness.of(log(ByteString.EMPTY, "x")).value() >>> 40));
        assertThat(randomness[1]).isEqualTo((char) 0x1234);
        assertThat(randomness[2]).isEqualTo((char) 0xfedc);
        assertThat(randomness[3]).isEqualTo((char)
                (ItemRandomness.of(request.getResourceLogs(1).getScopeLogs(0).getLogRecords(0))
                                .value()
                        >>> 40));
    }

    @Test
    void aFixedFourDigitThresholdKeepsItsProbabilityOfRandomTraceIdsWithinThreeSigma() {
        SplittableRandom random = new SplittableRandom(4);
        int spans = 200_000;
        for (int t16 : new int[] {0x8000, 0xaaab, 0xe666, 0xfd71}) {
            long kept = 0;
            for (int i = 0; i < spans; i++) {
                if (ItemRandomness.of(span(randomTraceId(random), "")).value() >= (long) t16 << 40) {
                    kept++;
                }
            }
            assertWithinThreeSigma(kept, spans, new Threshold((long) t16 << 40).probability());
        }
    }

    @Test
    void hashedLogRandomnessIsSpreadEvenly() {
        int records = 100_000;
        int t16 = 0xc000;
        long kept = 0;
        for (int i = 0; i < records; i++) {
            if (ItemRandomness.of(log(ByteString.EMPTY, "GET /api/orders/" + i + " 200"))
                            .value()
                    >= (long) t16 << 40) {
                kept++;
            }
        }
        assertWithinThreeSigma(kept, records, 0.25);
    }

    private static void assertWithinThreeSigma(long kept, int trials, double probability) {
        double sigma = Math.sqrt(trials * probability * (1 - probability));
        assertThat((double) kept).isBetween(trials * probability - 3 * sigma, trials * probability + 3 * sigma);
    }

    private static Span randomSpan(SplittableRandom random) {
        String shape = TRACE_STATE_SHAPES[random.nextInt(TRACE_STATE_SHAPES.length)];
        String rv = Hex56.full(random.nextLong(1L << 56));
        return span(randomTraceId(random), String.format(shape, rv));
    }

    static ByteString randomTraceId(SplittableRandom random) {
        byte[] id = new byte[16];
        for (int i = 0; i < 16; i++) {
            id[i] = (byte) random.nextInt(256);
        }
        id[0] |= 1;
        return ByteString.copyFrom(id);
    }

    /** A trace id whose low 56 bits are {@code randomness}. */
    static ByteString traceId(long randomness) {
        return ByteString.copyFrom(ConsistentSamplerTest.traceId(randomness));
    }

    static Span span(ByteString traceId, String traceState) {
        return Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(OtlpFixtures.id(8, 1))
                .setName("span")
                .setTraceState(traceState)
                .build();
    }

    static LogRecord log(ByteString traceId, String body, KeyValue... attributes) {
        return LogRecord.newBuilder()
                .setTraceId(traceId)
                .setTimeUnixNano(1_700_000_000_000_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue(body))
                .addAllAttributes(List.of(attributes))
                .build();
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }
}
