package io.otlpgovernor.local.subjects;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.testing.CapturedLogs;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.local.LocalStack;
import io.otlpgovernor.local.LocalStackOptions;
import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data-subject requests on the local stack (embedded Kafka, the job on a local Flink cluster of two governing
 * tasks with RocksDB and checkpoints, the bridge), with log records exported by the OpenTelemetry SDK. Tenant
 * {@code crm} hashes e-mail addresses. Two subjects send; one is suppressed mid-stream: once every governing task
 * reports the entry, nothing of that subject is written while the other flows; the access report finds exactly the
 * records that hold the subject's pseudonym, and the dead letter holding it raw; a keyring without the key that made them links nothing
 * (crypto-shredding); lifting the suppression lets the subject flow again. The identifier appears in no topic the
 * job or the commands write (dead letters keep what was sent), in none of their output and in no log line.
 */
class SubjectsIT {

    private static final String API_KEY = "crm-subjects-key-00001";
    private static final String ALICE = "alice.subject@example.com";
    /**
     * How alice's address arrives. The hash action hashes what it finds as it is, so the report is asked with this
     * spelling: an entry holds pseudonyms of the address as given and of its lower-case form.
     */
    private static final String SENT_AS = "Alice.Subject@Example.com";

    private static final String BOB = "bob.subject@example.org";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BATCH = 10;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AttributeKey<String> EMAIL = AttributeKey.stringKey("user.email");
    private static final AttributeKey<String> PERSON = AttributeKey.stringKey("test.person");

    @TempDir
    static Path workDir;

    private static LocalStack stack;
    private static Path keys;
    /** Every log line of the stack (bridge, job, Kafka, Flink) and the commands while the tests run. */
    private static CapturedLogs logs;

    private static final StringBuilder commandOutput = new StringBuilder();

    @BeforeAll
    static void startStack() throws Exception {
        logs = new CapturedLogs();
        Path rules = workDir.resolve("rules");
        Files.createDirectories(rules.resolve("presets"));
        Files.createDirectories(rules.resolve("tenants"));
        Files.writeString(rules.resolve("tenants/crm.yaml"), """
                tenant: crm
                version: 1
                classification:
                  detectors:
                    - id: email
                  fields:
                    log-bodies: true
                protection:
                  - rule: email
                    action: hash
                """);
        JobSettings settings = new JobSettings(
                "otlp-governor-subjects",
                2,
                128,
                new JobSettings.Kafka(null, "otlp-governor-subjects", "otlp-governor-subjects", "2m"),
                new JobSettings.Checkpoints("500ms", "30s", "100ms", null, true),
                new JobSettings.Restart("fixed-delay", 3, "200ms", null),
                new JobSettings.Rules(rules.toString(), null),
                new JobSettings.Reports("1s", "1s"));
        stack = LocalStack.start(
                new LocalStackOptions(workDir, 0, 0, 0, 0, freePort(), freePort()),
                settings,
                BridgeConfig.defaults(Path.of("unused")),
                ApiKeys.of(Map.of(API_KEY, "crm")));
        keys = workDir.resolve("hmac-keys.yaml");
        assertThat(keys).exists();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void aSuppressedSubjectStopsFlowingIsFoundExactlyAndIsUnlinkableOnceItsKeyIsRetired() throws Exception {
        try (CommittedTopicReader governed = new CommittedTopicReader(stack.bootstrapServers(), governedLogTopics());
                CommittedTopicReader audit =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.AUDIT))) {
            exportLogs("before");
            await().atMost(TIMEOUT)
                    .until(() -> count(governed.poll(), "alice") == BATCH && count(governed.records(), "bob") == BATCH);

            Result suppressed = run("suppress", "--tenant", "crm", "--email", "Alice.Subject@Example.com");
            assertThat(suppressed.status()).as(suppressed.err()).isZero();
            String entry = SubjectEvidence.entryId(suppressed.out());
            await().atMost(TIMEOUT)
                    .until(() -> SubjectEvidence.tasksReporting(documents(audit.poll()), entry, "suppressed") == 2);

            exportLogs("after");
            await().atMost(TIMEOUT).until(() -> count(governed.poll(), "bob") == 2 * BATCH);
            await().atMost(TIMEOUT)
                    .until(() -> SubjectEvidence.suppressedItems(documents(audit.poll()), entry) == BATCH);
            assertThat(count(governed.poll(), "alice")).isEqualTo(BATCH);
            assertThat(batches(governed.records(), "alice")).containsOnly("before");

            // A log shipper of the tenant's writes alice's address straight to the input, not as OTLP: the job
            // dead-letters it with its original bytes, and the report must find her there, raw.
            Set<String> deadLetter = plantAMisencodedRecordHolding(SENT_AS);

            // The access report: exactly the records that hold alice's pseudonym, and the dead letter holding her
            // address raw.
            Path report = workDir.resolve("report.json");
            Result found = run(
                    "find",
                    "--tenant",
                    "crm",
                    "--email",
                    SENT_AS,
                    "--from",
                    "-1h",
                    "--output",
                    report.toString(),
                    "--parallelism",
                    "1");
            assertThat(found.status()).as(found.err()).isZero();
            // Kept under target/ for whoever reads a failed run.
            Files.copy(report, Path.of("target/subjects-access-report.json"), StandardCopyOption.REPLACE_EXISTING);
            JsonNode json = JSON.readTree(report.toFile());
            Set<String> holding = holdingPseudonym(governed.records());
            assertThat(json.path("records").asLong()).isEqualTo(holding.size() + 1);
            assertThat(json.path("raw_records").asLong()).isOne();
            Set<String> expected = new HashSet<>(holding);
            expected.addAll(deadLetter);
            assertThat(places(json)).isEqualTo(places(expected));
            for (JsonNode place : json.path("held_in")) {
                assertThat(place.path("forms").fieldNames())
                        .toIterable()
                        .containsExactly(
                                place.path("topic").asText().equals(TopicNames.DEAD_LETTER)
                                        ? "raw"
                                        : "hmac:" + keyring().currentKeyId());
                assertThat(place.path("removed_by_retention_from").asText()).isNotEmpty();
            }

            // Crypto-shredding: once the key that made the pseudonyms is gone, no pseudonym links to alice.
            Path shredded = workDir.resolve("shredded-keys.yaml");
            Files.writeString(
                    shredded, """
                    tenants:
                      crm:
                        current: k-after
                        keys:
                          k-after: "%s"
                    """.formatted(java.util.Base64.getEncoder().encodeToString(new byte[32])));
            Path unlinked = workDir.resolve("unlinked.json");
            Result afterShredding = run(
                    "find",
                    "--tenant",
                    "crm",
                    "--email",
                    ALICE,
                    "--from",
                    "-1h",
                    "--output",
                    unlinked.toString(),
                    "--parallelism",
                    "1",
                    "--hmac-keys",
                    shredded.toString());
            assertThat(afterShredding.status()).as(afterShredding.err()).isZero();
            // What shredding does not erase: the address as it was sent, in the dead letter.
            JsonNode afterKeyRetired = JSON.readTree(unlinked.toFile());
            assertThat(afterKeyRetired.path("records").asLong()).isOne();
            assertThat(afterKeyRetired.path("raw_records").asLong()).isOne();
            assertThat(places(afterKeyRetired)).isEqualTo(places(deadLetter));

            // Lifting the suppression lets alice flow again.
            Result lifted = run("lift", "--tenant", "crm", "--email", ALICE);
            assertThat(lifted.status()).as(lifted.err()).isZero();
            await().atMost(TIMEOUT)
                    .until(() -> SubjectEvidence.tasksReporting(documents(audit.poll()), entry, "lifted") == 2);
            exportLogs("lifted");
            await().atMost(TIMEOUT).until(() -> count(governed.poll(), "alice") == 2 * BATCH);
            assertThat(batches(governed.records(), "alice")).containsOnly("before", "lifted");

            assertThat(identifierAppearsOutsideTheInput()).isEmpty();
            assertThat(commandOutput.toString().toLowerCase()).doesNotContain("alice.subject");
            assertThat(logs.lines()).as("log lines").isNotEmpty();
            assertThat(logs.lines())
                    .as("log lines naming alice")
                    .noneMatch(line -> line.toLowerCase().contains("alice.subject"));
        }
    }

    @Test
    void mistakesAreOneLineAndNameNoIdentifier() {
        assertMistake(run("suppress", "--tenant", "initech", "--email", ALICE), 2, "unknown tenant 'initech'");
        assertMistake(
                run("suppress", "--tenant", "crm", "--email", "alice at example"),
                2,
                "--email: not an e-mail address the classifier recognises");
        assertMistake(
                run("suppress", "--tenant", "crm", "--value", "alice-4242"),
                2,
                "--value: the classifier recognises no identifier in it");
        assertMistake(
                run("suppress", "--tenant", "crm", "--email", ALICE, "--hmac-keys", "no/such/keys.yaml"),
                2,
                "--hmac-keys no/such/keys.yaml: no such file");
        Result unreachable = execute(
                "suppress",
                "--bootstrap",
                "localhost:1",
                "--tenant",
                "crm",
                "--email",
                ALICE,
                "--hmac-keys",
                keys.toString());
        assertMistake(unreachable, 1, "cannot reach Kafka at localhost:1");
        assertMistake(
                run("find", "--tenant", "crm", "--email", ALICE, "--from", "-1h", "--to", "-2h"), 2, "empty range");
    }

    private static void assertMistake(Result result, int status, String message) {
        assertThat(result.status()).as(result.err()).isEqualTo(status);
        assertThat(result.err().lines())
                .singleElement()
                .asString()
                .startsWith("otlp-governor subjects ")
                .contains(message)
                .doesNotContain("alice.subject");
    }

    // --- sending and reading ---

    /** BATCH log records of each subject through the bridge, by the SDK's OTLP/HTTP exporter. */
    private static void exportLogs(String batch) {
        InMemoryLogRecordExporter captured = InMemoryLogRecordExporter.create();
        Collection<LogRecordData> logs;
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(captured))
                .build()) {
            for (int i = 0; i < BATCH; i++) {
                provider.get("subjects")
                        .logRecordBuilder()
                        .setBody(batch + " order " + i)
                        .setAttribute(EMAIL, SENT_AS)
                        .setAttribute(PERSON, "alice")
                        .emit();
                provider.get("subjects")
                        .logRecordBuilder()
                        .setBody(batch + " order " + i)
                        .setAttribute(EMAIL, BOB)
                        .setAttribute(PERSON, "bob")
                        .emit();
            }
            logs = captured.getFinishedLogRecordItems();
        }
        try (OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
                .setEndpoint("http://localhost:" + stack.httpPort() + "/v1/logs")
                .addHeader("x-api-key", API_KEY)
                .setTimeout(Duration.ofSeconds(20))
                .build()) {
            assertThat(exporter.export(logs).join(30, TimeUnit.SECONDS).isSuccess())
                    .isTrue();
        }
    }

    private static List<String> governedLogTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith("governed_logs_"))
                    .toList();
        }
    }

    /**
     * Writes {@code text} to the logs input as a producer that does not speak OTLP would, under the tenant's header,
     * and waits for its dead letter; returns the dead letter's topic/partition/offset.
     */
    private static Set<String> plantAMisencodedRecordHolding(String text) throws Exception {
        byte[] payload = ("\u00ff\u00fe crm-shipper: order for " + text).getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer());
                CommittedTopicReader deadLetters =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.DEAD_LETTER))) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Signal.LOGS.inputTopic(), payload);
            record.headers().add(RecordHeaders.TENANT, "crm".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
            Set<String> found = new HashSet<>();
            await().atMost(TIMEOUT).until(() -> {
                deadLetters.poll().stream()
                        .filter(r -> java.util.Arrays.equals(r.value(), payload))
                        .forEach(r -> found.add(r.topic() + "/" + r.partition() + "/" + r.offset()));
                return !found.isEmpty();
            });
            return found;
        }
    }

    /** The governed log records of {@code person}. */
    private static long count(List<ConsumerRecord<byte[], byte[]>> records, String person) {
        return batches(records, person).size();
    }

    /** The batch (first word of the body) of each governed log record of {@code person}. */
    private static List<String> batches(List<ConsumerRecord<byte[], byte[]>> records, String person) {
        List<String> batches = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OtlpTree.forEach(parse(record), (log, at) -> {
                boolean theirs = log.getAttributesList().stream()
                        .anyMatch(a -> a.getKey().equals("test.person")
                                && a.getValue().getStringValue().equals(person));
                if (theirs) {
                    batches.add(log.getBody().getStringValue().split(" ")[0]);
                }
            });
        }
        return batches;
    }

    /** topic/partition/offset of every governed record that holds alice's pseudonym under the job's current key. */
    private static Set<String> holdingPseudonym(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        HmacKeyring keyring = keyring();
        String pseudonym = Pseudonyms.of(
                Pseudonyms.mac(keyring.keys().get(keyring.currentKeyId())), keyring.currentKeyId(), SENT_AS);
        Set<String> holding = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (parse(record).toString().contains(pseudonym)) {
                holding.add(record.topic() + "/" + record.partition() + "/" + record.offset());
            }
        }
        return holding;
    }

    /** Per topic/partition: records, first and last offset, as the report gives them. */
    private static Map<String, List<Long>> places(JsonNode report) {
        Map<String, List<Long>> places = new java.util.TreeMap<>();
        for (JsonNode place : report.path("held_in")) {
            places.put(
                    place.path("topic").asText() + "/" + place.path("partition").asInt(),
                    List.of(
                            place.path("records").asLong(),
                            place.path("first_offset").asLong(),
                            place.path("last_offset").asLong()));
        }
        return places;
    }

    /** The same of records given as topic/partition/offset. */
    private static Map<String, List<Long>> places(Set<String> records) {
        Map<String, List<Long>> places = new java.util.TreeMap<>();
        records.stream()
                .collect(Collectors.groupingBy(
                        r -> r.substring(0, r.lastIndexOf('/')),
                        Collectors.mapping(
                                r -> Long.parseLong(r.substring(r.lastIndexOf('/') + 1)), Collectors.toList())))
                .forEach((place, offsets) -> places.put(
                        place,
                        List.of(
                                (long) offsets.size(),
                                java.util.Collections.min(offsets),
                                java.util.Collections.max(offsets))));
        return places;
    }

    private static List<JsonNode> documents(List<ConsumerRecord<byte[], byte[]>> records) {
        List<JsonNode> documents = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                documents.add(JSON.readTree(record.value()));
            } catch (IOException e) {
                throw new AssertionError("an audit record is JSON", e);
            }
        }
        return documents;
    }

    /** The topics (but the input topics, which hold what was sent) whose records contain the identifier. */
    private static Set<String> identifierAppearsOutsideTheInput() throws Exception {
        List<String> topics;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> !t.startsWith("otlp_"))
                    .toList();
        }
        Set<String> input;
        try (CommittedTopicReader inputs = new CommittedTopicReader(
                stack.bootstrapServers(),
                Stream.of(Signal.values()).map(Signal::inputTopic).toList())) {
            input = inputs.poll().stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .collect(Collectors.toSet());
        }
        try (CommittedTopicReader everything = new CommittedTopicReader(stack.bootstrapServers(), topics)) {
            everything.poll();
            return everything.records().stream()
                    // A dead letter keeps what was sent, as it was sent: it is the input, not something written.
                    .filter(r -> !(r.topic().equals(TopicNames.DEAD_LETTER)
                            && input.contains(new String(r.value(), StandardCharsets.UTF_8))))
                    .filter(r -> contains(r.value())
                            || contains(r.key())
                            || Stream.of(r.headers().toArray()).anyMatch(h -> contains(h.value())))
                    .map(ConsumerRecord::topic)
                    .collect(Collectors.toSet());
        }
    }

    private static boolean contains(byte[] bytes) {
        return bytes != null
                && new String(bytes, StandardCharsets.UTF_8).toLowerCase().contains("alice.subject");
    }

    private static ExportLogsServiceRequest parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return ExportLogsServiceRequest.parseFrom(record.value());
        } catch (IOException e) {
            throw new AssertionError("a governed record is OTLP", e);
        }
    }

    private static HmacKeyring keyring() throws Exception {
        return HmacKeyFile.load(keys).get("crm");
    }

    private record Result(int status, String out, String err) {}

    private static Result run(String command, String... options) {
        List<String> args = new ArrayList<>(
                List.of(command, "--bootstrap", stack.bootstrapServers(), "--hmac-keys", keys.toString()));
        args.addAll(List.of(options));
        return execute(args.toArray(String[]::new));
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SubjectsMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        // An --hmac-keys of the test replaces the one run() gives.
        commandLine.setOverwrittenOptionsAllowed(true);
        int status = commandLine.execute(args);
        commandOutput.append(out).append(err);
        return new Result(status, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
