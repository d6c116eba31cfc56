package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.kafka.TopicLayout;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the input topic and, {@code read_committed}, the job's governed, usage and audit topics, and compares them
 * with what the rules dictate: every span of the input governed exactly once with its e-mail address redacted,
 * usage counting each as accepted, audit counting one redaction per span.
 *
 * <p>The input itself may hold a span twice: a request the bridge wrote but could not answer (it was killed, or
 * Kafka acknowledged late) is sent again by the client — OTLP's at-least-once. Those copies are counted apart
 * ({@link Outcome#inputDuplicates()}); the job must govern each copy once.
 */
final class Verifier implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicReader input;
    private final TopicReader governed;
    private final TopicReader reports;

    Verifier(String bootstrapServers) {
        input = new TopicReader(bootstrapServers, List.of(Signal.SPANS.inputTopic()));
        governed = new TopicReader(bootstrapServers, TopicLayout.governedTopics());
        reports = new TopicReader(bootstrapServers, List.of(TopicNames.USAGE, TopicNames.AUDIT));
    }

    /**
     * What the topics hold so far, against {@code acknowledged} span names.
     *
     * @param acknowledged the spans of every request the bridge acknowledged
     */
    Outcome read(List<String> acknowledged) {
        Map<String, Integer> in = count(input.readToEnd());
        List<Span> out = spans(governed.readToEnd());
        Map<String, Integer> outCounts = new HashMap<>();
        out.forEach(span -> outCounts.merge(span.getName(), 1, Integer::sum));
        List<ConsumerRecord<byte[], byte[]>> reportRecords = reports.readToEnd();

        long lostAcknowledged =
                acknowledged.stream().filter(name -> !in.containsKey(name)).count();
        long lost = 0;
        long duplicated = 0;
        for (Map.Entry<String, Integer> entry : in.entrySet()) {
            int governedCopies = outCounts.getOrDefault(entry.getKey(), 0);
            lost += Math.max(0, entry.getValue() - governedCopies);
            duplicated += Math.max(0, governedCopies - entry.getValue());
        }
        long unknown = outCounts.entrySet().stream()
                .filter(e -> !in.containsKey(e.getKey()))
                .mapToLong(Map.Entry::getValue)
                .sum();
        return new Outcome(
                acknowledged.size(),
                in.values().stream().mapToLong(Integer::longValue).sum(),
                in.values().stream().mapToLong(copies -> copies - 1L).sum(),
                lostAcknowledged,
                out.size(),
                lost,
                duplicated + unknown,
                out.stream().filter(Verifier::keepsEmail).count(),
                usage(reportRecords, "accepted"),
                audited(reportRecords, "email", "redact"),
                audited(reportRecords, "default", "route"));
    }

    /**
     * @param acknowledged      spans of requests the bridge acknowledged
     * @param input             spans in the input topic, client retries included
     * @param inputDuplicates   extra copies in the input from client retries of requests already written
     * @param lostAcknowledged  acknowledged spans missing from the input topic (the bridge's promise broken)
     * @param governed          spans in the governed topics (read_committed)
     * @param lost              input spans the job did not govern
     * @param duplicated        governed spans beyond their copies in the input, or never in it
     * @param unredacted        governed spans that still carry an e-mail address
     * @param usageAccepted     the sum of usage's accepted spans
     * @param auditRedacted     the sum of audit's e-mail redactions
     * @param auditRouted       the sum of audit's routings to the default tier
     */
    record Outcome(
            long acknowledged,
            long input,
            long inputDuplicates,
            long lostAcknowledged,
            long governed,
            long lost,
            long duplicated,
            long unredacted,
            long usageAccepted,
            long auditRedacted,
            long auditRouted) {

        /** Whether everything that will arrive has arrived: the job has caught up with the input and its reports. */
        boolean complete() {
            return input > 0
                    && governed >= input
                    && usageAccepted >= input
                    && auditRedacted >= input
                    && auditRouted >= input;
        }

        @Override
        public String toString() {
            return "acknowledged=" + acknowledged + " input=" + input + " (client-retry copies " + inputDuplicates + ")"
                    + " lostAcknowledged=" + lostAcknowledged + " governed=" + governed + " lost=" + lost
                    + " duplicated=" + duplicated + " unredacted=" + unredacted + " usageAccepted=" + usageAccepted
                    + " auditRedacted=" + auditRedacted + " auditRouted=" + auditRouted;
        }
    }

    /** How many audit events report an accepted change of the tenant's rules to {@code version}. */
    long acceptedRuleChanges(long version) {
        return documents(reports.records(), TopicNames.AUDIT).stream()
                .filter(d -> d.path("type").asText().equals("rule-set-change")
                        && d.path("tenant").asText().equals(BridgeProcess.TENANT))
                .filter(d -> d.path("outcome").asText().equals("accepted")
                        && d.path("version").asLong() == version)
                .count();
    }

    /** Governed spans per rule-set version (the {@code rule-set-version} header of their record). */
    Map<String, Long> governedSpansByRuleSetVersion() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : governed.records()) {
            org.apache.kafka.common.header.Header header =
                    record.headers().lastHeader(io.otlpgovernor.contract.RecordHeaders.RULE_SET_VERSION);
            String version =
                    header == null ? "none" : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
            counts.merge(version, (long) spans(List.of(record)).size(), Long::sum);
        }
        return counts;
    }

    private static Map<String, Integer> count(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        spans(records).forEach(span -> counts.merge(span.getName(), 1, Integer::sum));
        return counts;
    }

    private static List<Span> spans(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .flatMap(record -> {
                    try {
                        return ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList().stream();
                    } catch (IOException e) {
                        throw new UncheckedIOException("not an ExportTraceServiceRequest in " + record.topic(), e);
                    }
                })
                .flatMap(r -> r.getScopeSpansList().stream())
                .flatMap(s -> s.getSpansList().stream())
                .toList();
    }

    private static boolean keepsEmail(Span span) {
        return span.getAttributesList().stream()
                .filter(a -> a.getKey().equals(Workload.EMAIL_ATTRIBUTE))
                .map(KeyValue::getValue)
                .anyMatch(v -> v.getStringValue().contains("@example.com"));
    }

    private static long usage(List<ConsumerRecord<byte[], byte[]>> records, String field) {
        return documents(records, TopicNames.USAGE).stream()
                .filter(d -> d.path("tenant").asText().equals(BridgeProcess.TENANT))
                .mapToLong(d -> d.path("signals").path("spans").path(field).asLong())
                .sum();
    }

    private static long audited(List<ConsumerRecord<byte[], byte[]>> records, String rule, String action) {
        return documents(records, TopicNames.AUDIT).stream()
                .filter(d -> d.path("type").asText().equals("governance-summary")
                        && d.path("tenant").asText().equals(BridgeProcess.TENANT))
                .flatMap(d ->
                        java.util.stream.StreamSupport.stream(d.path("entries").spliterator(), false))
                .filter(e -> e.path("rule").asText().equals(rule)
                        && e.path("action").asText().equals(action))
                .mapToLong(e -> e.path("count").asLong())
                .sum();
    }

    private static List<JsonNode> documents(List<ConsumerRecord<byte[], byte[]>> records, String topic) {
        return records.stream()
                .filter(r -> r.topic().equals(topic))
                .map(r -> {
                    try {
                        return JSON.readTree(r.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException("report is not JSON", e);
                    }
                })
                .toList();
    }

    @Override
    public void close() {
        input.close();
        governed.close();
        reports.close();
    }
}
