package io.otlpgovernor.job.subjects;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.replay.ReplayJob;
import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import io.otlpgovernor.rules.subjects.SubjectList;
import io.otlpgovernor.rules.subjects.SubjectReport.Holding;
import io.otlpgovernor.rules.subjects.SubjectScan;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The scan behind a subject access report, as a bounded Flink job (BATCH mode, so it runs on a cluster for long
 * history): reads the governed topics and the dead-letter topic over a time range, keeps the tenant's records, and
 * returns every record that holds the subject — raw or as a pseudonym under any key of the tenant's keyring — with
 * where it is. The job graph carries the entry (pseudonyms only) and the keys file's path, never a key or the
 * identifier.
 */
public final class SubjectFindJob {

    private SubjectFindJob() {}

    /** Governed topics and dead letters of {@code range} at {@code bootstrap} that hold {@code entry}'s subject. */
    public static List<Holding> run(
            StreamExecutionEnvironment environment,
            String bootstrap,
            Properties security,
            List<String> topics,
            ReplayJob.Range range,
            SubjectEntry entry,
            Path hmacKeysFile)
            throws Exception {
        KafkaSource<Candidate> source = KafkaSource.<Candidate>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topics)
                .setGroupId("otlp-governor-subjects-find")
                .setStartingOffsets(OffsetsInitializer.timestamp(range.fromMillis()))
                .setBounded(OffsetsInitializer.timestamp(range.toMillis()))
                .setDeserializer(new CandidateDeserializer(entry.tenant(), range))
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperties(security)
                .build();
        List<Holding> holdings = new ArrayList<>();
        try (CloseableIterator<Holding> found = environment
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: governed topics and dead letters")
                .uid("subjects-source")
                .flatMap(new Find(
                        entry.key(),
                        entry.toJson(),
                        hmacKeysFile.toAbsolutePath().toString()))
                .uid("subjects-find")
                .name("Records that hold the subject")
                .executeAndCollect("otlp-governor subjects find")) {
            found.forEachRemaining(holdings::add);
        }
        return holdings;
    }

    /** One of the tenant's records in range: where it is, its signal and its payload. */
    public record Candidate(
            String topic, int partition, long offset, long timestampMillis, String signal, byte[] payload) {}

    /** Keeps the tenant's records in range, with the signal their headers or topic name give. */
    static final class CandidateDeserializer implements KafkaRecordDeserializationSchema<Candidate> {
        private final String tenant;
        private final ReplayJob.Range range;

        CandidateDeserializer(String tenant, ReplayJob.Range range) {
            this.tenant = tenant;
            this.range = range;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Candidate> out) {
            if (record.value() == null || !range.contains(record.timestamp())) {
                return;
            }
            if (!tenant.equals(header(record, RecordHeaders.TENANT))) {
                return;
            }
            signal(record)
                    .ifPresent(signal -> out.collect(new Candidate(
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp(),
                            signal.id(),
                            record.value())));
        }

        private static Optional<Signal> signal(ConsumerRecord<byte[], byte[]> record) {
            if (record.topic().equals(TopicNames.DEAD_LETTER)) {
                String source = header(record, RecordHeaders.SOURCE_TOPIC);
                return source == null ? Optional.empty() : Signal.forInputTopic(source);
            }
            String signal = header(record, RecordHeaders.SIGNAL);
            if (signal != null) {
                return Signal.forId(signal);
            }
            for (Signal candidate : Signal.values()) {
                if (record.topic().startsWith("governed_" + candidate.id() + "_")) {
                    return Optional.of(candidate);
                }
            }
            return Optional.empty();
        }

        private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
            Header header = record.headers().lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }

        @Override
        public TypeInformation<Candidate> getProducedType() {
            return TypeInformation.of(Candidate.class);
        }
    }

    /** Scans one record; the keyring is read from the keys file when the task opens. */
    static final class Find extends RichFlatMapFunction<Candidate, Holding> {
        private final String entryKey;
        private final byte[] entryJson;
        private final String hmacKeysFile;
        private transient SubjectList subjects;

        Find(String entryKey, byte[] entryJson, String hmacKeysFile) {
            this.entryKey = entryKey;
            this.entryJson = entryJson;
            this.hmacKeysFile = hmacKeysFile;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            SubjectEntry entry = SubjectEntry.fromJson(entryKey, entryJson);
            HmacKeyring keyring = HmacKeyFile.load(Path.of(hmacKeysFile)).get(entry.tenant());
            subjects = new SubjectList(List.of(entry), keyring);
        }

        @Override
        public void flatMap(Candidate record, Collector<Holding> out) {
            Set<String> forms;
            try {
                forms = switch (Signal.forId(record.signal()).orElseThrow()) {
                    case SPANS -> SubjectScan.spans(subjects, ExportTraceServiceRequest.parseFrom(record.payload()));
                    case LOGS -> SubjectScan.logs(subjects, ExportLogsServiceRequest.parseFrom(record.payload()));
                    case METRICS ->
                        SubjectScan.metrics(subjects, ExportMetricsServiceRequest.parseFrom(record.payload()));
                };
            } catch (InvalidProtocolBufferException e) {
                // A dead letter that is not OTLP: the identifier can be anywhere in what the client sent.
                forms = SubjectScan.bytes(subjects, record.payload());
            }
            if (!forms.isEmpty()) {
                out.collect(new Holding(
                        record.topic(), record.partition(), record.offset(), record.timestampMillis(), forms));
            }
        }
    }
}
