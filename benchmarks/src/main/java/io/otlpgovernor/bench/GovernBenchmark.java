package io.otlpgovernor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.RequestGovernor;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.pipeline.registry.TenantRules;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import io.otlpgovernor.rules.subjects.SubjectIdentifiers;
import io.otlpgovernor.rules.subjects.SubjectList;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The governing step of the job without Flink: {@link RequestGovernor#govern} on {@link JobBenchmark}'s input and
 * rules ({@code gdpr}, quotas, three retention rules) — parse, threshold, head sampling, classify and protect, route
 * tiers, encode each tier's part, usage and audit contributions. Scores are items (spans or log records) per second
 * on one thread; the job's governing operator does this and hands the records on.
 *
 * <p>{@code subjects} is the tenant's data-subject suppression list: {@code none}, {@code email-1000} (1,000 e-mail
 * addresses of the corpus's users, found where the email detector finds an address) or {@code user-id-1000} (1,000
 * of its user ids, which no detector recognises, so every word of every value is looked up). About one item in a
 * thousand carries a listed subject and is dropped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GovernBenchmark {

    private static final int REQUESTS = 64;

    private DecodedRecord[] spanRequests;
    private DecodedRecord[] logRequests;
    private TenantRules rules;
    private RequestGovernor governor;
    private SubjectList subjects;

    @Param({"none", "email-1000", "user-id-1000"})
    public String subjectList;

    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createDirectories(Path.of("benchmarks/target/govern-benchmark"));
        Path rulesDir = dir.resolve("rules");
        if (Files.exists(rulesDir)) {
            try (var files = Files.walk(rulesDir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
        RuleRegistry registry = io.otlpgovernor.rules.pipeline.registry.RuleBootstrap.load(
                        JobBenchmark.writeRules(rulesDir, "gdpr"), JobBenchmark.writeHmacKeys(dir.resolve("keys.yaml")))
                .newRegistry();
        rules = registry.rules(JobBenchmark.TENANT, tenant -> null).orElseThrow();
        governor = new RequestGovernor(registry.keyrings(), 1 << 20);
        subjects = subjects(subjectList, registry.keyrings().get(JobBenchmark.TENANT));
        long now = System.currentTimeMillis();
        // Item times in the 17 minutes before now, as in JobBenchmark: with the corpus's default base time (2023)
        // every item would be past its tier's retention and dropped before anything is encoded.
        TelemetryCorpus corpus =
                new TelemetryCorpus(42, now * 1_000_000L - TelemetryCorpus.TIME_SPREAD_NANOS - 10_000_000_000L);
        spanRequests = new DecodedRecord[REQUESTS];
        logRequests = new DecodedRecord[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            spanRequests[i] = decoded(
                    Signal.SPANS,
                    corpus.spans(EngineBenchmark.ITEMS_PER_REQUEST).toByteArray(),
                    now);
            logRequests[i] = decoded(
                    Signal.LOGS, corpus.logs(EngineBenchmark.ITEMS_PER_REQUEST).toByteArray(), now);
        }
        if (subjects == SubjectList.NONE) {
            requireEveryItemWritten(spanRequests[0]);
            requireEveryItemWritten(logRequests[0]);
        }
    }

    /** A benchmark whose items were dropped (by age, say) would measure less than the job does: refuse to run. */
    private void requireEveryItemWritten(DecodedRecord request) {
        RequestGovernor.Outcome outcome =
                governor.govern(new AdmittedRecord(request, 0, rules.version()), rules, subjects);
        long written =
                outcome.records().stream().mapToLong(GovernedRecord::items).sum();
        if (written != request.items()) {
            throw new IllegalStateException("the governing step wrote " + written + " of " + request.items()
                    + " items of a " + request.signal().id() + " request: " + outcome.usage());
        }
    }

    /** 1,000 subjects among the corpus's users ({@code user-N}, N below 1,000,000: one in a thousand listed). */
    static SubjectList subjects(String list, HmacKeyring keyring) {
        if (list.equals("none")) {
            return SubjectList.NONE;
        }
        List<SubjectEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String user = "user-" + (i * 1000 + 7);
            SubjectIdentifiers.Recognised subject = switch (list) {
                case "email-1000" -> SubjectIdentifiers.email(user + "@example.org");
                case "user-id-1000" -> SubjectIdentifiers.userId(user);
                default -> throw new IllegalArgumentException("subjects: none, email-1000 or user-id-1000");
            };
            entries.add(SubjectIdentifiers.entry(
                    JobBenchmark.TENANT, subject, keyring, SubjectEntry.DROP_RECORD, "2026-12-07T00:00:00Z"));
        }
        return new SubjectList(entries, keyring);
    }

    private static DecodedRecord decoded(Signal signal, byte[] payload, long now) {
        return new DecodedRecord(
                JobBenchmark.TENANT,
                signal,
                payload,
                EngineBenchmark.ITEMS_PER_REQUEST,
                now,
                null,
                new SourcePosition("otlp_" + signal.id(), 0, 0));
    }

    private int nextIndex() {
        next = (next + 1) % REQUESTS;
        return next;
    }

    @Benchmark
    @OperationsPerInvocation(EngineBenchmark.ITEMS_PER_REQUEST)
    public Object governSpanRequest() {
        return governor.govern(new AdmittedRecord(spanRequests[nextIndex()], 0, rules.version()), rules, subjects);
    }

    @Benchmark
    @OperationsPerInvocation(EngineBenchmark.ITEMS_PER_REQUEST)
    public Object governLogRequest() {
        return governor.govern(new AdmittedRecord(logRequests[nextIndex()], 0, rules.version()), rules, subjects);
    }
}
