package io.otlpgovernor.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.rules.protection.CompiledRules;
import io.otlpgovernor.rules.protection.GovernanceEngine;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSources;
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
 * The classification and protection engine with the {@code gdpr} preset (plus PCI card detection) on the
 * synthetic corpus, one thread. Scores are items (spans or log records) per second.
 *
 * <ul>
 *   <li>{@code decodeEncodeSpans}: the baseline every governed record pays anyway in the job — parse the
 *       request bytes and serialize the result; no rules;</li>
 *   <li>{@code governSpans}: parse, govern with the rules, serialize — what the job does per request;</li>
 *   <li>{@code governParsedSpans}: the engine alone on already-parsed requests;</li>
 *   <li>{@code governLogs}: parse, govern, serialize for log records with free-text bodies.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EngineBenchmark {

    static final int ITEMS_PER_REQUEST = 100;
    private static final int REQUESTS = 64;

    @Param({"gdpr"})
    public String preset;

    private byte[][] spanRequests;
    private ExportTraceServiceRequest[] parsedSpans;
    private byte[][] logRequests;
    private CompiledRules rules;
    private GovernanceEngine engine;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RuleSources shipped =
                RuleSources.fromDirectory(Path.of(System.getProperty("rules.dir", "governance-rules/rules")));
        String tenant = "tenant: bench\nversion: 1\nextends: [" + preset
                + "]\nclassification:\n  detectors:\n    - id: payment-card\n"
                + "protection:\n  - label: pci\n    action: redact\n";
        Map<String, String> files =
                new java.util.TreeMap<>(shipped.forTenant("none").files());
        files.put("tenants/bench.yaml", tenant);
        RuleSet ruleSet =
                RuleLoader.load(new RuleSources(files)).tenant("bench").orElseThrow();
        HmacKeyring keys = new HmacKeyring("bench", Map.of("bench", "benchmark-key-of-at-least-32-bytes!!".getBytes()));
        rules = CompiledRules.compile(ruleSet, keys);
        engine = new GovernanceEngine(Map.of("bench", keys));
        TelemetryCorpus corpus = new TelemetryCorpus(42);
        spanRequests = new byte[REQUESTS][];
        parsedSpans = new ExportTraceServiceRequest[REQUESTS];
        logRequests = new byte[REQUESTS][];
        for (int i = 0; i < REQUESTS; i++) {
            parsedSpans[i] = corpus.spans(ITEMS_PER_REQUEST);
            spanRequests[i] = parsedSpans[i].toByteArray();
            logRequests[i] = corpus.logs(ITEMS_PER_REQUEST).toByteArray();
        }
    }

    private int nextIndex() {
        next = (next + 1) % REQUESTS;
        return next;
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS_PER_REQUEST)
    public byte[] decodeEncodeSpans() throws InvalidProtocolBufferException {
        return ExportTraceServiceRequest.parseFrom(spanRequests[nextIndex()]).toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS_PER_REQUEST)
    public byte[] governSpans() throws InvalidProtocolBufferException {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(spanRequests[nextIndex()]);
        return engine.governSpans(rules, request).request().toByteArray();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS_PER_REQUEST)
    public Object governParsedSpans() {
        return engine.governSpans(rules, parsedSpans[nextIndex()]).request();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS_PER_REQUEST)
    public byte[] governLogs() throws InvalidProtocolBufferException {
        ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(logRequests[nextIndex()]);
        return engine.governLogs(rules, request).request().toByteArray();
    }
}
