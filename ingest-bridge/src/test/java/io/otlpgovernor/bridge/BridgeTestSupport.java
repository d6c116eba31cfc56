package io.otlpgovernor.bridge;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import static org.awaitility.Awaitility.await;

/** Shared pieces of the bridge's integration tests: a broker with the input topics, test settings, reading back. */
final class BridgeTestSupport {

    static final String ACME_KEY = "acme-test-key-000001";
    static final String GLOBEX_KEY = "globex-test-key-00001";
    static final Map<String, String> KEYS = Map.of(ACME_KEY, "acme", GLOBEX_KEY, "globex");
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BridgeTestSupport() {}

    static EmbeddedKafkaBroker startBroker(Path dir) {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        broker.createTopics(Signal.SPANS.inputTopic(), Signal.METRICS.inputTopic(), Signal.LOGS.inputTopic());
        return broker;
    }

    /** Free ports, short Kafka timeouts, no rate limit. */
    static BridgeConfig config(String bootstrapServers) {
        return BridgeConfig.defaults(Path.of("unused-keys.yaml"))
                .withEndpoints(0, 0, 0, bootstrapServers)
                .withKafka(new BridgeConfig.Kafka(bootstrapServers, "3s", "500ms", "1s", null, null, "200ms", null))
                .withLimits(limits(256, 0, "10s"));
    }

    static BridgeConfig.Limits limits(int maxConcurrent, int tenantItemsPerSecond, String requestTimeout) {
        return new BridgeConfig.Limits(maxConcurrent, requestTimeout, "2s", tenantItemsPerSecond, null, null);
    }

    /** {@code localhost:<a port nothing listens on>}. */
    static String deadKafka() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "localhost:" + socket.getLocalPort();
        }
    }

    /** Reads the signal's input topic until a record with exactly {@code value} appears; returns its tenant. */
    static String tenantOfRecord(EmbeddedKafkaBroker broker, Signal signal, byte[] value) {
        return header(recordWith(broker, signal, value), RecordHeaders.TENANT);
    }

    static ConsumerRecord<byte[], byte[]> recordWith(EmbeddedKafkaBroker broker, Signal signal, byte[] value) {
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(signal.inputTopic()))) {
            await().atMost(TIMEOUT).until(() -> reader.poll().stream().anyMatch(r -> Arrays.equals(r.value(), value)));
            return reader.records().stream()
                    .filter(r -> Arrays.equals(r.value(), value))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Everything in the signal's input topic once a record with {@code marker} has arrived. */
    static List<ConsumerRecord<byte[], byte[]>> recordsUpTo(EmbeddedKafkaBroker broker, Signal signal, byte[] marker) {
        try (CommittedTopicReader reader =
                new CommittedTopicReader(broker.bootstrapServers(), List.of(signal.inputTopic()))) {
            await().atMost(TIMEOUT).until(() -> reader.poll().stream().anyMatch(r -> Arrays.equals(r.value(), marker)));
            return reader.records();
        }
    }

    /** The names of the spans in {@code records} of the spans topic, of {@code tenant}'s records only unless it is null. */
    static List<String> spanNames(List<ConsumerRecord<byte[], byte[]>> records, String tenant) {
        List<String> names = new java.util.ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (tenant != null && !tenant.equals(header(record, RecordHeaders.TENANT))) {
                continue;
            }
            try {
                io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(record.value())
                        .getResourceSpansList()
                        .forEach(r -> r.getScopeSpansList()
                                .forEach(s -> s.getSpansList().forEach(span -> names.add(span.getName()))));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError("not OTLP in " + record.topic() + "@" + record.offset(), e);
            }
        }
        return names;
    }

    static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
