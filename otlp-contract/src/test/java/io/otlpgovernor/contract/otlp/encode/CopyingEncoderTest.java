package io.otlpgovernor.contract.otlp.encode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.otlpgovernor.contract.otlp.tree.AttributeSite;
import io.otlpgovernor.contract.otlp.tree.ItemOrigins;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
import io.otlpgovernor.contract.testing.Telemetry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CopyingEncoderTest {

    private static final int REQUESTS = 300;

    @Test
    void spansChangedDroppedAndSplitEncodeToTheBytesProtobufGives() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < REQUESTS; n++) {
            ExportTraceServiceRequest request =
                    ExportTraceServiceRequest.parseFrom(spans(random).toByteArray());
            byte[] payload = request.toByteArray();
            ItemOrigins origins = new ItemOrigins();
            ExportTraceServiceRequest walked = OtlpTree.walk(request, new SpanEdits(random.nextLong()), origins);
            OriginalRequest original = OriginalRequest.spans(payload, request);
            for (OtlpTree.Part<Boolean, ExportTraceServiceRequest> part :
                    OtlpTree.partition(walked, (span, at) -> span.getKindValue() % 2 == 0)) {
                assertThat(CopyingEncoder.spans(part.request(), original, origins))
                        .as("request %d, part %s", n, part.key())
                        .isEqualTo(part.request().toByteArray());
            }
            assertThat(CopyingEncoder.spans(walked, original, origins)).isEqualTo(walked.toByteArray());
        }
    }

    @Test
    void logsChangedDroppedAndSplitEncodeToTheBytesProtobufGives() throws Exception {
        Random random = new Random(11);
        for (int n = 0; n < REQUESTS; n++) {
            ExportLogsServiceRequest request =
                    ExportLogsServiceRequest.parseFrom(logs(random).toByteArray());
            byte[] payload = request.toByteArray();
            ItemOrigins origins = new ItemOrigins();
            ExportLogsServiceRequest walked = OtlpTree.walk(request, new LogEdits(random.nextLong()), origins);
            OriginalRequest original = OriginalRequest.logs(payload, request);
            for (OtlpTree.Part<Integer, ExportLogsServiceRequest> part :
                    OtlpTree.partition(walked, (record, at) -> record.getSeverityNumberValue() % 3)) {
                assertThat(CopyingEncoder.logs(part.request(), original, origins))
                        .as("request %d, part %s", n, part.key())
                        .isEqualTo(part.request().toByteArray());
            }
        }
    }

    @Test
    void fieldsInAnyOrderAreCopiedAsTheyCameAndParseToTheWalkedRequest() throws Exception {
        Random random = new Random(13);
        for (int n = 0; n < REQUESTS; n++) {
            byte[] payload = spans(random).toByteArray();
            // Fields of every container and item interleaved at random (each field's occurrences kept in order):
            // what another encoder may send, and what the parser reads as the same request.
            shuffleFields(payload, 0, payload.length, 0, random);
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(payload);
            ItemOrigins origins = new ItemOrigins();
            ExportTraceServiceRequest walked = OtlpTree.walk(request, new SpanEdits(random.nextLong()), origins);
            byte[] encoded = CopyingEncoder.spans(walked, OriginalRequest.spans(payload, request), origins);
            assertThat(ExportTraceServiceRequest.parseFrom(encoded))
                    .as("request %d", n)
                    .isEqualTo(walked);
        }
    }

    @Test
    void unknownFieldsOfItemsAndContainersAreKept() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
                .build();
        Span span = span(new Random(1), 0).toBuilder().setUnknownFields(unknown).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span).setUnknownFields(unknown))
                        .setUnknownFields(unknown))
                .setUnknownFields(unknown)
                .build();
        byte[] payload = request.toByteArray();
        ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(payload);
        ItemOrigins origins = new ItemOrigins();
        ExportTraceServiceRequest walked = OtlpTree.walk(parsed, new RenameAll(), origins);

        byte[] encoded = CopyingEncoder.spans(walked, OriginalRequest.spans(payload, parsed), origins);

        assertThat(encoded).isEqualTo(walked.toByteArray());
        assertThat(ExportTraceServiceRequest.parseFrom(encoded)
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getUnknownFields())
                .isEqualTo(unknown);
    }

    @Test
    void itemsThatDidNotComeFromTheWalkAreEncodedWhole() throws Exception {
        ExportTraceServiceRequest request =
                ExportTraceServiceRequest.parseFrom(spans(new Random(3)).toByteArray());
        byte[] payload = request.toByteArray();
        // A request changed by something else (a new trace state) than the walk the origins were noted by.
        ExportTraceServiceRequest changed = OtlpTree.filter(
                        request,
                        (span, at) -> span.toBuilder().setTraceState("th=8").build())
                .request();

        byte[] encoded = CopyingEncoder.spans(changed, OriginalRequest.spans(payload, request), new ItemOrigins());

        assertThat(encoded).isEqualTo(changed.toByteArray());
    }

    @Test
    void theItemFieldsCheckedForChangesAreEveryFieldTheItemTypesHave() {
        // A new OTLP field must be added to ItemFields' comparison, or a change to it would be lost in a copy.
        assertThat(numbers(Span.getDescriptor().getFields()))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(numbers(LogRecord.getDescriptor().getFields())).containsExactly(1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(numbers(ResourceSpans.getDescriptor().getFields())).containsExactly(1, 2, 3);
        assertThat(numbers(ScopeSpans.getDescriptor().getFields())).containsExactly(1, 2, 3);
        assertThat(numbers(ResourceLogs.getDescriptor().getFields())).containsExactly(1, 2, 3);
        assertThat(numbers(ScopeLogs.getDescriptor().getFields())).containsExactly(1, 2, 3);
        assertThat(numbers(ExportTraceServiceRequest.getDescriptor().getFields()))
                .containsExactly(1);
        assertThat(numbers(ExportLogsServiceRequest.getDescriptor().getFields()))
                .containsExactly(1);
    }

    private static Set<Integer> numbers(List<FieldDescriptor> fields) {
        Set<Integer> numbers = new TreeSet<>();
        fields.forEach(field -> numbers.add(field.getNumber()));
        return numbers;
    }

    /** Changes, replaces, adds and drops attributes of every list, and changes or drops some items. */
    private abstract static class Edits<I> implements TreeVisitor<I> {
        final Random random;

        Edits(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public boolean visits(AttributeSite site) {
            return true;
        }

        @Override
        public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
            return edit(attributes, random);
        }
    }

    /** Renames, un-names, re-statuses or drops some spans and leaves the others alone. */
    private static final class SpanEdits extends Edits<Span> {
        SpanEdits(long seed) {
            super(seed);
        }

        @Override
        public Span item(Span span, TreePosition at) {
            return switch (random.nextInt(8)) {
                case 0 -> null;
                case 1 ->
                    span.toBuilder().setName("renamed-" + random.nextInt(100)).build();
                case 2 -> span.toBuilder().setName("").build();
                case 3 ->
                    span.toBuilder()
                            .setStatus(Status.newBuilder().setMessage("changed"))
                            .build();
                default -> span;
            };
        }
    }

    /** Redacts, clears or drops some bodies, changes some severities and leaves the other records alone. */
    private static final class LogEdits extends Edits<LogRecord> {
        LogEdits(long seed) {
            super(seed);
        }

        @Override
        public LogRecord item(LogRecord record, TreePosition at) {
            return switch (random.nextInt(8)) {
                case 0 -> null;
                case 1 ->
                    record.toBuilder()
                            .setBody(AnyValue.newBuilder().setStringValue("[redacted]"))
                            .build();
                case 2 -> record.toBuilder().clearBody().build();
                case 3 -> record.toBuilder().setSeverityText("changed").build();
                default -> record;
            };
        }
    }

    private static final class RenameAll implements TreeVisitor<Span> {
        @Override
        public Span item(Span span, TreePosition at) {
            return span.toBuilder().setName("renamed").build();
        }
    }

    /** The list as a copy-on-write walk would leave it: mostly kept, some values replaced, dropped or added. */
    private static List<KeyValue> edit(List<KeyValue> attributes, Random random) {
        if (random.nextInt(4) == 0) {
            return attributes;
        }
        List<KeyValue> edited = new ArrayList<>(attributes.size() + 1);
        for (KeyValue attribute : attributes) {
            switch (random.nextInt(6)) {
                case 0 ->
                    edited.add(attribute.toBuilder()
                            .setValue(AnyValue.newBuilder().setStringValue("h:" + random.nextInt(1000)))
                            .build());
                case 1 -> {}
                case 2 -> {
                    edited.add(attribute);
                    edited.add(Telemetry.attribute("added." + random.nextInt(10), "é-" + random.nextInt(100)));
                }
                default -> edited.add(attribute);
            }
        }
        if (random.nextInt(5) == 0) {
            edited.add(Telemetry.attribute("trailing", "value"));
        }
        return edited;
    }

    static ExportTraceServiceRequest spans(Random random) {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int resources = 1 + random.nextInt(3);
        for (int r = 0; r < resources; r++) {
            ResourceSpans.Builder resource = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(Telemetry.attribute("service.name", "svc-" + r)));
            if (random.nextBoolean()) {
                resource.setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
            }
            int scopes = 1 + random.nextInt(2);
            for (int s = 0; s < scopes; s++) {
                ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("scope-" + s));
                int count = random.nextInt(6);
                for (int i = 0; i < count; i++) {
                    scope.addSpans(span(random, i));
                }
                resource.addScopeSpans(scope);
            }
            request.addResourceSpans(resource);
        }
        return request.build();
    }

    private static Span span(Random random, int i) {
        Span.Builder span = Span.newBuilder()
                .setTraceId(bytes(random, 16))
                .setSpanId(bytes(random, 8))
                .setName("GET /orders/" + i)
                .setKindValue(random.nextInt(6))
                .setStartTimeUnixNano(1_700_000_000_000_000_000L + random.nextInt(1_000_000))
                .setEndTimeUnixNano(1_700_000_000_100_000_000L + random.nextInt(1_000_000));
        if (random.nextBoolean()) {
            span.setParentSpanId(bytes(random, 8)).setTraceState("ot=th:8");
        }
        int attributes = random.nextInt(8);
        for (int a = 0; a < attributes; a++) {
            span.addAttributes(
                    Telemetry.attribute("key." + a, "value " + random.nextInt(1000) + (a % 3 == 0 ? " ü" : "")));
        }
        if (random.nextInt(3) == 0) {
            span.addEvents(Span.Event.newBuilder()
                    .setName("exception")
                    .addAttributes(Telemetry.attribute("exception.message", "boom " + i)));
        }
        if (random.nextInt(4) == 0) {
            span.setStatus(Status.newBuilder().setCodeValue(2).setMessage("failed"));
        }
        return span.build();
    }

    static ExportLogsServiceRequest logs(Random random) {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        int resources = 1 + random.nextInt(3);
        for (int r = 0; r < resources; r++) {
            ResourceLogs.Builder resource = ResourceLogs.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(Telemetry.attribute("service.name", "svc-" + r)));
            ScopeLogs.Builder scope = ScopeLogs.newBuilder().setSchemaUrl(random.nextBoolean() ? "" : "s");
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                LogRecord.Builder record = LogRecord.newBuilder()
                        .setTimeUnixNano(1_700_000_000_000_000_000L + i)
                        .setSeverityNumberValue(1 + random.nextInt(20))
                        .setSeverityText("INFO");
                if (random.nextInt(4) != 0) {
                    record.setBody(
                            AnyValue.newBuilder().setStringValue("user ü" + random.nextInt(1000) + " logged in"));
                }
                if (random.nextBoolean()) {
                    record.setTraceId(bytes(random, 16)).setSpanId(bytes(random, 8));
                }
                int attributes = random.nextInt(6);
                for (int a = 0; a < attributes; a++) {
                    record.addAttributes(Telemetry.attribute("log." + a, "v" + random.nextInt(100)));
                }
                scope.addLogRecords(record);
            }
            request.addResourceLogs(resource.addScopeLogs(scope));
        }
        return request.build();
    }

    private static ByteString bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }

    /**
     * Interleaves the fields of the message in {@code bytes[start, end)} at random, each field number's occurrences
     * staying in order, and does the same inside the request's containers and items (levels 0 to 2 of the tree:
     * field 1 of the request, field 2 of the containers). Lengths do not change, so it works in place.
     */
    private static void shuffleFields(byte[] bytes, int start, int end, int level, Random random) {
        List<int[]> fields = new ArrayList<>();
        WireReader reader = new WireReader(bytes, start, end);
        while (reader.hasMore()) {
            int fieldStart = reader.position();
            int tag = reader.readTag();
            int valueStart = reader.position();
            reader.skip(tag);
            fields.add(new int[] {fieldStart, reader.position(), tag >>> 3, valueStart});
        }
        for (int[] field : fields) {
            boolean inner = (level == 0 && field[2] == 1) || ((level == 1 || level == 2) && field[2] == 2);
            if (inner && level < 3) {
                WireReader value = new WireReader(bytes, field[3], field[1]);
                int length = value.readLength();
                shuffleFields(bytes, value.position(), value.position() + length, level + 1, random);
            }
        }
        List<int[]> order = interleaved(fields, random);
        byte[] shuffled = new byte[end - start];
        int at = 0;
        for (int[] field : order) {
            System.arraycopy(bytes, field[0], shuffled, at, field[1] - field[0]);
            at += field[1] - field[0];
        }
        System.arraycopy(shuffled, 0, bytes, start, shuffled.length);
    }

    /** A random order of {@code fields} in which each field number's occurrences keep their order. */
    private static List<int[]> interleaved(List<int[]> fields, Random random) {
        List<List<int[]>> byNumber = new ArrayList<>();
        for (int[] field : fields) {
            List<int[]> same = byNumber.stream()
                    .filter(list -> list.get(0)[2] == field[2])
                    .findFirst()
                    .orElse(null);
            if (same == null) {
                same = new ArrayList<>();
                byNumber.add(same);
            }
            same.add(field);
        }
        List<int[]> order = new ArrayList<>(fields.size());
        int[] next = new int[byNumber.size()];
        while (order.size() < fields.size()) {
            int pick = random.nextInt(byNumber.size());
            if (next[pick] < byNumber.get(pick).size()) {
                order.add(byNumber.get(pick).get(next[pick]++));
            }
        }
        return order;
    }

    @Test
    void theShuffleChangesTheBytesButNotTheRequest() throws Exception {
        ExportTraceServiceRequest request = spans(new Random(5));
        byte[] bytes = request.toByteArray();
        byte[] shuffled = Arrays.copyOf(bytes, bytes.length);
        shuffleFields(shuffled, 0, shuffled.length, 0, new Random(5));
        assertThat(shuffled).isNotEqualTo(bytes);
        assertThat(ExportTraceServiceRequest.parseFrom(shuffled)).isEqualTo(request);
    }
}
