package io.otlpgovernor.local.demo;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.kafka.CommittedTopicReader;
import io.otlpgovernor.local.LocalStack;
import io.otlpgovernor.local.LocalStackOptions;
import io.otlpgovernor.local.subjects.SubjectEvidence;
import io.otlpgovernor.local.subjects.SubjectsMain;
import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./otlp-governor local --demo} as people use it: the whole system with the job's own settings
 * ({@code job/config/job.yaml}: 5 s checkpoints, 10 s audit windows, reports 10 s after their window), the shipped
 * rules and demo keys, on free ports, and the demo workload sending.
 *
 * <p>While it runs, the Flink dashboard is checked as users see it (a screenshot of the job graph) and through its
 * REST API (operator names, governance metrics). Then the demo stops, usage must account for everything it sent, and
 * every notebook in {@code notebooks/} must run end to end against the run's topics. The tests share the run, in that
 * order. The screenshot and the executed notebooks are kept in {@code target/demo-run/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoRunIT {

    private static final Path OUTPUT = Path.of("target/demo-run");
    private static final double REQUESTS_PER_SECOND = 5;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    /** Long enough for a usage minute to be written (a minute plus its grace) while the demo runs. */
    private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(180);
    /** After the demo stops: the last traces' tail decision (30 s), their minute and its grace. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(180);
    /** Operator names Flink gives when the job does not name one. */
    private static final Pattern DEFAULT_NAME = Pattern.compile(
            "(Source: )?(Map|Filter|Flat ?Map|KeyedProcess|Process|Co-Process|Co-Process-Broadcast|Keyed-Broadcast-Process|"
                    + "Sink: (Writer|Committer|Unnamed)|Custom Source|Unnamed|Timestamps/Watermarks|Partition)");

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The acme customer the README's data-subject example suppresses. */
    private static final String SUPPRESSED_CUSTOMER = FakeData.EMAILS.get(0);

    private static LocalStack stack;
    private static DemoWorkload demo;
    private static int dashboardPort;
    private static boolean settled;

    @BeforeAll
    static void startStackAndDemo() throws Exception {
        Path dataDir = Files.createDirectories(OUTPUT.resolve("data"));
        JobSettings settings = JobSettings.load(Path.of("../job/config/job.yaml"))
                .withRules(new JobSettings.Rules("../governance-rules/rules", null));
        ApiKeys demoKeys = ApiKeys.load(Path.of("../ingest-bridge/config/demo-keys.yaml"));
        dashboardPort = freePort();
        stack = LocalStack.start(
                new LocalStackOptions(dataDir, 0, 0, 0, 0, dashboardPort, freePort()),
                settings,
                BridgeConfig.defaults(Path.of("unused")),
                demoKeys);
        demo = DemoWorkload.start(REQUESTS_PER_SECOND, stack.grpcPort(), stack.httpPort(), stack.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void everyOperatorHasAReadableNameAndReportsGovernanceMetrics() throws Exception {
        FlinkRest rest = new FlinkRest(dashboardPort);
        String jobId = runningJob(rest);
        Map<String, String> vertices = rest.vertexNames(jobId);

        List<String> operators = vertices.values().stream()
                .flatMap(name -> Pattern.compile(" -> ").splitAsStream(name))
                .toList();
        assertThat(operators)
                .as("operator names in the dashboard")
                .noneMatch(name -> DEFAULT_NAME.matcher(name).matches())
                .contains(
                        "Source: Kafka: OTLP input",
                        "Decode OTLP",
                        "Quota per tenant",
                        "Sample, classify, protect, route tiers",
                        "Tail sampling per trace",
                        "Usage per tenant and minute",
                        "Audit per tenant");
        // Counters with tenant labels appear once the demo's data has passed the operator.
        AtomicReference<List<String>> governance = new AtomicReference<>();
        await().atMost(TRAFFIC_TIMEOUT).untilAsserted(() -> {
            governance.set(governanceMetrics(rest, jobId, vertices));
            assertThat(governance.get())
                    .as("governance metrics of the job's vertices")
                    .contains(
                            "Decode OTLP: requests_decoded",
                            "Quota per tenant: tenant.paynow.signal.spans.items_received",
                            "Quota per tenant: tenant.paynow.reason.quota.items_dropped",
                            "Sample, classify, protect, route tiers: tenant.globex.tier.compliance.items_accepted",
                            "Sample, classify, protect, route tiers: tenant.acme.label.pii.protections",
                            "Sample, classify, protect, route tiers: tenant.acme.rule_set_version",
                            "Tail sampling per trace: tenant.acme.outcome.keep.tail_decisions");
        });
    }

    @Test
    @Order(2)
    void theDashboardShowsTheRunningJobsGraph() throws Exception {
        FlinkRest rest = new FlinkRest(dashboardPort);
        String page = rest.jobOverviewPage(runningJob(rest));
        Path png = OUTPUT.resolve("flink-dashboard.png");
        AtomicReference<BufferedImage> image = new AtomicReference<>();
        AtomicInteger attempt = new AtomicInteger();
        // Each attempt loads the page afresh: on a busy machine the graph can miss one attempt's time budget, and
        // Chromium can fail one (the failure of the last attempt is reported).
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    image.set(DashboardScreenshot.take(
                            page,
                            png,
                            Files.createDirectories(OUTPUT.resolve("chromium-" + attempt.incrementAndGet()))));
                    assertThat(DashboardScreenshot.isRendered(image.get()))
                            .as("the job graph is drawn in " + png)
                            .isTrue();
                });

        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        assertThat(Files.size(png)).as("bytes of the screenshot").isGreaterThan(40_000);
        assertThat(image.get().getWidth()).isEqualTo(DashboardScreenshot.WIDTH);
        assertThat(image.get().getHeight()).isEqualTo(DashboardScreenshot.HEIGHT);
    }

    @Test
    @Order(3)
    void usageAccountsForEverythingTheDemoSent() throws Exception {
        Map<String, Long> sent = stopDemoAndAwaitItsUsage();

        assertThat(sent)
                .as("items the demo sent, by tenant and signal")
                .hasSize(DemoTenant.ids().size() * 3)
                .allSatisfy((line, items) -> assertThat(items).as(line).isPositive());
        try (CommittedTopicReader reader =
                new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.USAGE))) {
            List<JsonNode> usage = documents(readAll(reader));
            assertThat(sum(usage, "dropped/quota"))
                    .as("quota drops (paynow's settlement batches)")
                    .isPositive();
            assertThat(sum(usage, "dropped/tail"))
                    .as("tail-sampling drops (acme)")
                    .isPositive();
            assertThat(sum(usage, "dropped/sampling"))
                    .as("head-sampling drops (paynow, acme's health checks)")
                    .isPositive();
            assertThat(sum(usage, "dropped/policy"))
                    .as("drop-record (paynow's leaked tokens)")
                    .isPositive();
            assertThat(sum(usage, "dropped/age"))
                    .as("late uploads past their tier (acme)")
                    .isPositive();
            // Every demo tenant has series limits, far above what its own traffic needs.
            List<JsonNode> cardinality = usage.stream()
                    .filter(document -> document.path("type").asText().equals("cardinality"))
                    .toList();
            assertThat(tenantsIn(cardinality))
                    .as("tenants with cardinality documents")
                    .containsExactlyInAnyOrderElementsOf(DemoTenant.ids());
            assertThat(overLimitPoints(cardinality))
                    .as("data points over a series limit in the demo's own traffic")
                    .isZero();
            assertThat(sum(usage, "dropped/cardinality"))
                    .as("cardinality drops")
                    .isZero();
        }
    }

    @Test
    @Order(4)
    void everyNotebookRunsEndToEndAgainstTheRun() throws Exception {
        stopDemoAndAwaitItsUsage();
        replayTheRunUnderACandidate();
        Path accessReports = findTheSuppressedCustomer();
        List<Path> notebooks = Notebook.all();
        assertThat(notebooks).as("notebooks in " + Notebook.DIRECTORY).hasSizeGreaterThanOrEqualTo(3);
        List<String> failures = new ArrayList<>();
        for (Path notebook : notebooks) {
            Tools.Run run =
                    Notebook.execute(notebook, OUTPUT.resolve("notebooks"), stack.bootstrapServers(), accessReports);
            if (run.exitCode() != 0) {
                failures.add(notebook.getFileName() + " failed (exit " + run.exitCode() + "):\n"
                        + Tools.tail(withoutColours(run.output()), 40));
                continue;
            }
            failures.addAll(problemsOf(OUTPUT.resolve("notebooks").resolve(notebook.getFileName())));
        }
        assertThat(failures).as("notebooks that did not run cleanly").isEmpty();
    }

    /**
     * The README's what-if example on this run: acme's history replayed under a candidate that cuts its rate to 5 items
     * per second; the table shows the quota drops it would add, and the report goes to governor_replay, where the
     * what-if notebook reads it.
     */
    private static void replayTheRunUnderACandidate() throws Exception {
        Path candidate = Files.createDirectories(OUTPUT.resolve("candidate/tenants"));
        Files.writeString(
                candidate.resolve("acme.yaml"),
                Files.readString(Path.of("../governance-rules/rules/tenants/acme.yaml"))
                        .replaceFirst("per-second: \\d+", "per-second: 5")
                        .replaceFirst("burst: \\d+", "burst: 5"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = io.otlpgovernor.local.RulesMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute(
                "replay",
                "--bootstrap",
                stack.bootstrapServers(),
                "--baseline",
                "../governance-rules/rules",
                "--rules",
                candidate.getParent().toString(),
                "--hmac-keys",
                OUTPUT.resolve("data/hmac-keys.yaml").toString(),
                "--tenant",
                "acme",
                "--from",
                "-30m",
                "--parallelism",
                "1");

        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("tenant acme", "* spans dropped.quota");
    }

    /**
     * The README's data-subject example on this run: one of acme's customers is suppressed while the demo sends (the
     * address read from standard input, as the README does), and the demo goes on until every governing task has
     * applied the entry and items carrying the address have been suppressed — the compliance notebook's evidence.
     * It waits first until acme's governed topics hold the customer's pseudonym: acme's traces wait 30 s for their
     * tail-sampling decision, and one suppressed before that would leave nothing for the access report to find.
     */
    private static void suppressOneAcmeCustomer() throws Exception {
        HmacKeyring acme =
                HmacKeyFile.load(OUTPUT.resolve("data/hmac-keys.yaml")).get("acme");
        byte[] pseudonym = Pseudonyms.of(
                        Pseudonyms.mac(acme.keys().get(acme.currentKeyId())), acme.currentKeyId(), SUPPRESSED_CUSTOMER)
                .getBytes(StandardCharsets.UTF_8);
        try (CommittedTopicReader governed = new CommittedTopicReader(
                stack.bootstrapServers(),
                Stream.of(Signal.SPANS, Signal.LOGS)
                        .map(signal -> TopicNames.governed(signal, TopicNames.DEFAULT_TIER))
                        .toList())) {
            await().atMost(TRAFFIC_TIMEOUT)
                    .until(() -> governed.poll().stream().anyMatch(record -> contains(record.value(), pseudonym)));
        }
        CommandRun suppressed = subjects(
                SUPPRESSED_CUSTOMER,
                "suppress",
                "--bootstrap",
                stack.bootstrapServers(),
                "--tenant",
                "acme",
                "--email",
                "-",
                "--hmac-keys",
                OUTPUT.resolve("data/hmac-keys.yaml").toString());
        assertThat(suppressed.status()).as(suppressed.err()).isZero();
        String entry = SubjectEvidence.entryId(suppressed.out());
        try (CommittedTopicReader audit =
                new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.AUDIT))) {
            await().atMost(TRAFFIC_TIMEOUT).until(() -> {
                List<JsonNode> documents = documents(audit.poll());
                return SubjectEvidence.inEffectEverywhere(documents, entry)
                        && SubjectEvidence.suppressedItems(documents, entry) > 0;
            });
        }
    }

    /**
     * The README's access-report example: where the suppressed customer's records are held, written where the
     * compliance notebook reads it. acme's rules hash e-mail addresses, so every place holds pseudonyms only.
     */
    private static Path findTheSuppressedCustomer() throws Exception {
        Path report = Files.createDirectories(OUTPUT.resolve("access-reports")).resolve("access-acme.json");
        CommandRun found = subjects(
                SUPPRESSED_CUSTOMER,
                "find",
                "--bootstrap",
                stack.bootstrapServers(),
                "--tenant",
                "acme",
                "--email",
                "-",
                "--from",
                "-1h",
                "--output",
                report.toString(),
                "--parallelism",
                "1",
                "--hmac-keys",
                OUTPUT.resolve("data/hmac-keys.yaml").toString());
        assertThat(found.status()).as(found.err()).isZero();
        JsonNode json = JSON.readTree(report.toFile());
        assertThat(json.path("records").asLong())
                .as("records holding the customer")
                .isPositive();
        assertThat(json.path("raw_records").asLong())
                .as("records holding the address unprotected")
                .isZero();
        assertThat(found.out() + found.err() + Files.readString(report)).doesNotContain(SUPPRESSED_CUSTOMER);
        return report.getParent();
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; bytes != null && i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private record CommandRun(int status, String out, String err) {}

    /** Runs {@code ./otlp-governor subjects} with {@code args}, {@code stdin} as its standard input. */
    private static CommandRun subjects(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = SubjectsMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        InputStream standardInput = System.in;
        System.setIn(new ByteArrayInputStream((stdin + "\n").getBytes(StandardCharsets.UTF_8)));
        try {
            return new CommandRun(commandLine.execute(args), out.toString(), err.toString());
        } finally {
            System.setIn(standardInput);
        }
    }

    /** Jupyter colours its tracebacks with terminal escapes; a test report shows them as noise. */
    private static String withoutColours(String text) {
        return text.replaceAll("\u001B\\[[;\\d]*m", "");
    }

    /** What is wrong with an executed notebook: an error output, no plot, or a sensitive value the demo sent. */
    private static List<String> problemsOf(Path executed) throws IOException {
        Map<String, List<String>> outputs = Notebook.outputs(executed);
        List<String> problems = new ArrayList<>();
        outputs.get("error").forEach(error -> problems.add(executed.getFileName() + ": " + error));
        if (outputs.get("image/png").isEmpty()) {
            problems.add(executed.getFileName() + ": no plot");
        }
        for (String value : FakeData.all()) {
            if (outputs.get("text").stream().anyMatch(text -> text.contains(value))) {
                problems.add(executed.getFileName() + " shows a sensitive value the demo sent");
            }
        }
        return problems;
    }

    /**
     * Waits for the traffic the notebooks plot (a settled usage minute of every tenant, a dead letter), stops the demo,
     * and waits until usage accounts for every item it sent and every trace is decided. Returns what it sent, by
     * "tenant signal". Once per run.
     */
    private static synchronized Map<String, Long> stopDemoAndAwaitItsUsage() throws Exception {
        try (CommittedTopicReader usage =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.USAGE));
                CommittedTopicReader truth =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(DemoTruth.TOPIC));
                CommittedTopicReader deadLetters =
                        new CommittedTopicReader(stack.bootstrapServers(), List.of(TopicNames.DEAD_LETTER))) {
            if (!settled) {
                suppressOneAcmeCustomer();
                await().atMost(TRAFFIC_TIMEOUT)
                        .until(() -> !deadLetters.poll().isEmpty()
                                && tenantsIn(documents(usage.poll())).containsAll(DemoTenant.ids()));
                demo.close();
                demo = null;
            }
            Map<String, Long> sent = new TreeMap<>();
            await().atMost(SETTLE_TIMEOUT).untilAsserted(() -> {
                sent.clear();
                sent.putAll(sentByTenantAndSignal(documents(readAll(truth))));
                List<JsonNode> documents = documents(usage.poll());
                assertThat(receivedByTenantAndSignal(documents))
                        .as("items received, from usage")
                        .isEqualTo(sent);
                assertThat(undecided(documents))
                        .as("items received but neither accepted nor dropped")
                        .isZero();
            });
            settled = true;
            return sent;
        }
    }

    private static String runningJob(FlinkRest rest) {
        AtomicReference<String> jobId = new AtomicReference<>();
        await().atMost(STARTUP_TIMEOUT).until(() -> {
            rest.runningJobId().ifPresent(jobId::set);
            return jobId.get() != null;
        });
        return jobId.get();
    }

    /** "operator name: metric" for every governance metric of the job's vertices, without the subtask prefix. */
    private static List<String> governanceMetrics(FlinkRest rest, String jobId, Map<String, String> vertices)
            throws Exception {
        List<String> found = new ArrayList<>();
        // A vertex chains several operators; a metric's id names its operator ("<subtask>.<operator>.governor.…"),
        // with the characters the metric system does not keep replaced, so names are compared by letters and digits.
        Map<String, String> operatorsByLetters = new java.util.HashMap<>();
        for (String name : vertices.values()) {
            Pattern.compile(" -> ")
                    .splitAsStream(name.replace("(", "").replace(")", ""))
                    .forEach(operator -> operatorsByLetters.put(lettersAndDigits(operator), operator));
        }
        for (String vertex : vertices.keySet()) {
            for (String id : rest.vertexMetrics(jobId, vertex)) {
                int group = id.indexOf(".governor.");
                if (group >= 0) {
                    int operatorStart = id.indexOf('.') + 1;
                    String named = operatorStart <= group ? id.substring(operatorStart, group) : "";
                    String operator = operatorsByLetters.getOrDefault(lettersAndDigits(named), named);
                    found.add(operator + ": " + id.substring(group + ".governor.".length()));
                }
            }
        }
        return found;
    }

    private static String lettersAndDigits(String text) {
        return text.replaceAll("[^A-Za-z0-9]", "");
    }

    private static Map<String, Long> sentByTenantAndSignal(List<JsonNode> truth) {
        Map<String, Long> sent = new TreeMap<>();
        for (JsonNode document : truth) {
            String tenant = document.path("tenant").asText();
            sent.merge(tenant + " spans", document.path("spans").asLong(), Long::sum);
            sent.merge(tenant + " logs", document.path("log_records").asLong(), Long::sum);
            sent.merge(tenant + " metrics", document.path("data_points").asLong(), Long::sum);
        }
        return sent;
    }

    private static Map<String, Long> receivedByTenantAndSignal(List<JsonNode> usage) {
        Map<String, Long> received = new TreeMap<>();
        for (JsonNode document : usage) {
            for (Map.Entry<String, JsonNode> signal : document.path("signals").properties()) {
                received.merge(
                        document.path("tenant").asText() + " " + signal.getKey(),
                        signal.getValue().path("received").asLong(),
                        Long::sum);
            }
        }
        return received;
    }

    private static long undecided(List<JsonNode> usage) {
        long undecided = 0;
        for (JsonNode document : usage) {
            for (JsonNode signal : document.path("signals")) {
                long dropped = 0;
                for (JsonNode reason : signal.path("dropped")) {
                    dropped += reason.asLong();
                }
                undecided += signal.path("received").asLong()
                        - signal.path("accepted").asLong()
                        - dropped;
            }
        }
        return undecided;
    }

    private static long sum(List<JsonNode> usage, String field) {
        return usage.stream()
                .mapToLong(document -> {
                    long total = 0;
                    for (JsonNode signal : document.path("signals")) {
                        total += signal.at("/" + field).asLong();
                    }
                    return total;
                })
                .sum();
    }

    /** Data points the cardinality documents say were over a limit: dropped, stripped or tagged. */
    private static long overLimitPoints(List<JsonNode> cardinality) {
        long points = 0;
        for (JsonNode document : cardinality) {
            for (JsonNode metric : document.path("metrics")) {
                points += metric.path("rejected_points").asLong()
                        + metric.path("stripped_points").asLong()
                        + metric.path("tagged_points").asLong();
            }
        }
        return points;
    }

    private static List<String> tenantsIn(List<JsonNode> usage) {
        return usage.stream()
                .map(document -> document.path("tenant").asText())
                .distinct()
                .toList();
    }

    /** Everything committed so far: polls until a poll brings nothing new. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(CommittedTopicReader reader) {
        int before;
        List<ConsumerRecord<byte[], byte[]>> records;
        do {
            before = reader.records().size();
            records = reader.poll();
        } while (records.size() > before);
        return records;
    }

    private static List<JsonNode> documents(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> {
                    try {
                        return JSON.readTree(record.value());
                    } catch (IOException e) {
                        throw new UncheckedIOException("not a JSON document on " + record.topic(), e);
                    }
                })
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
