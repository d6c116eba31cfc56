package io.otlpgovernor.job;

import java.nio.file.Path;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.JobEdges;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.kafka.OutboundRecord;
import io.otlpgovernor.job.kafka.OutboundRecords;
import io.otlpgovernor.job.operators.CardinalityFunction;
import io.otlpgovernor.job.operators.DecodeFunction;
import io.otlpgovernor.job.operators.GovernFunction;
import io.otlpgovernor.job.operators.Outputs;
import io.otlpgovernor.job.operators.QuotaFunction;
import io.otlpgovernor.job.operators.RulesBroadcast;
import io.otlpgovernor.job.operators.SumContributions;
import io.otlpgovernor.job.operators.TailRateLimitFunction;
import io.otlpgovernor.job.operators.TailSamplingFunction;
import io.otlpgovernor.job.operators.TenantReportFunction;
import io.otlpgovernor.rules.pipeline.model.AdmittedRecord;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.MetricPiece;
import io.otlpgovernor.rules.pipeline.model.RateLimitedTrace;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleBootstrap;
import io.otlpgovernor.rules.pipeline.reports.AuditReports;
import io.otlpgovernor.rules.pipeline.reports.ReportKind;
import io.otlpgovernor.rules.pipeline.reports.UsageReports;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The governance job:
 *
 * <pre>
 * input topics → decode → quota (keyed by tenant) → govern (classify, protect, sample, tier; spread) → governed topics
 *                                       tail-sampled tenants' spans ↘ tail sampling (keyed by trace) ↗
 *                                                        rate-limited traces ↘ rate limit (keyed by service) ↗
 *                       data points of tenants with cardinality limits ↘ cardinality limit (keyed by tenant or metric) ↗
 * rules topic  ─────────── broadcast to quota and govern ──────────────────────────────────────────┘
 * usage and audit contributions → per-tenant reports (keyed) → usage and audit topics; bad records → dead letters
 * </pre>
 *
 * <p>Two transactional sinks: the governed records of the governing step, chained to it, and one for everything
 * else (dead letters, audit, usage, what tail sampling writes), whose records each name their topic.
 *
 * <p>The job takes its edges in the constructor, so tests run the same graph against any source or sink;
 * {@link #main} wires the production Kafka edges from a settings file. Every operator has a stable {@code uid}
 * (what savepoints map state by; never change one) and a readable name (what the Flink dashboard shows).
 */
public final class GovernorJob {

    /** Stable operator ids. */
    public static final String SOURCE_UID = "kafka-source";

    public static final String RULES_SOURCE_UID = "rules-source";
    public static final String DECODE_UID = "decode";
    public static final String QUOTA_UID = "quota";
    public static final String GOVERN_UID = "govern";
    public static final String TAIL_UID = "tail-sampling";
    public static final String TAIL_RATE_LIMIT_UID = "tail-rate-limit";
    public static final String CARDINALITY_UID = "cardinality";
    public static final String USAGE_UID = "usage-reports";
    public static final String AUDIT_UID = "audit-reports";
    public static final String GOVERNED_SINK_UID = "governed-sink";
    public static final String OUTPUTS_SINK_UID = "outputs-sink";

    private final JobEdges edges;
    private final RuleBootstrap rules;
    private final JobSettings.Reports reports;

    public GovernorJob(JobEdges edges, RuleBootstrap rules, JobSettings.Reports reports) {
        this.edges = edges;
        this.rules = rules;
        this.reports = reports;
    }

    /**
     * The job on the Kafka edges that {@code settings} describe, with the rules they point at (validated here: a rule
     * set that does not validate or lacks its HMAC key stops the job from starting).
     */
    public static GovernorJob onKafka(JobSettings settings) throws RuleValidationException, java.io.IOException {
        return new GovernorJob(
                KafkaEdges.all(settings),
                RuleBootstrap.load(
                        settings.rules().directoryPath(), settings.rules().hmacKeysPath()),
                settings.reports());
    }

    /** The rules the job starts from. */
    public RuleBootstrap rules() {
        return rules;
    }

    /** Adds the whole job to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<InputRecord> input = env.fromSource(
                        edges.input(), WatermarkStrategy.noWatermarks(), "Kafka: OTLP input")
                .uid(SOURCE_UID);
        attach(input);
    }

    /**
     * Adds everything after the input source, reading from {@code input}; returns what goes to the shared sink (dead
     * letters, audit, usage, tail-sampled and limited records), for a caller that wants to read it too.
     */
    public DataStream<OutboundRecord> attach(DataStream<InputRecord> input) {
        StreamExecutionEnvironment env = input.getExecutionEnvironment();
        BroadcastStream<RuleUpdate> ruleUpdates = env.fromSource(
                        edges.rules(), WatermarkStrategy.noWatermarks(), "Kafka: rules")
                .uid(RULES_SOURCE_UID)
                .setParallelism(1)
                .broadcast(RulesBroadcast.descriptors());

        SingleOutputStreamOperator<DecodedRecord> decoded =
                input.process(new DecodeFunction()).uid(DECODE_UID).name("Decode OTLP");
        SingleOutputStreamOperator<AdmittedRecord> admitted = decoded.keyBy(DecodedRecord::tenant)
                .connect(ruleUpdates)
                .process(new QuotaFunction(rules))
                .uid(QUOTA_UID)
                .name("Quota per tenant");
        // Rebalanced: governing is the expensive step, and a hot tenant's requests must use every instance.
        SingleOutputStreamOperator<GovernedRecord> governed = admitted.rebalance()
                .connect(ruleUpdates)
                .process(new GovernFunction(rules, edges.maxRecordBytes()))
                .uid(GOVERN_UID)
                .name("Sample, classify, protect, route tiers");

        // Tenants with tail sampling: their spans (and traced logs) wait per trace for a decision.
        SingleOutputStreamOperator<GovernedRecord> tailed = governed.getSideOutput(Outputs.TRACE_PIECES)
                .keyBy(TracePiece::key)
                .connect(ruleUpdates)
                .process(new TailSamplingFunction(rules, edges.maxRecordBytes()))
                .uid(TAIL_UID)
                .name("Tail sampling per trace");
        SingleOutputStreamOperator<GovernedRecord> limited = tailed.getSideOutput(TailSamplingFunction.RATE_LIMITED)
                .keyBy(RateLimitedTrace::limiterKey)
                .process(new TailRateLimitFunction(edges.maxRecordBytes()))
                .uid(TAIL_RATE_LIMIT_UID)
                .name("Tail rate limit per service");

        // Tenants with cardinality limits: their data points pass the limit that holds their series.
        SingleOutputStreamOperator<GovernedRecord> capped = governed.getSideOutput(Outputs.METRIC_PIECES)
                .keyBy(MetricPiece::key)
                .connect(ruleUpdates)
                .process(new CardinalityFunction(rules, edges.maxRecordBytes()))
                .uid(CARDINALITY_UID)
                .name("Cardinality limit per tenant and metric");

        // Chained to the governing step: governed records go to their producer without a serialization hop.
        governed.sinkTo(edges.governed()).uid(GOVERNED_SINK_UID).name("Kafka: governed");

        DataStream<OutboundRecord> deadLetters = outbound(
                        decoded.getSideOutput(Outputs.DEAD_LETTERS), "decode-dead-letters", OutboundRecords::deadLetter)
                .union(
                        outbound(
                                admitted.getSideOutput(Outputs.DEAD_LETTERS),
                                "quota-dead-letters",
                                OutboundRecords::deadLetter),
                        outbound(
                                governed.getSideOutput(Outputs.DEAD_LETTERS),
                                "govern-dead-letters",
                                OutboundRecords::deadLetter));
        DataStream<OutboundRecord> tailSampled = outbound(tailed, "tail-sampled", OutboundRecords::governed)
                .union(
                        outbound(limited, "tail-rate-limited", OutboundRecords::governed),
                        outbound(capped, "cardinality-limited", OutboundRecords::governed),
                        outbound(
                                capped.getSideOutput(CardinalityFunction.REPORTS),
                                "cardinality-reports",
                                report -> OutboundRecords.report(TopicNames.USAGE, report)));
        DataStream<OutboundRecord> outputs = deadLetters.union(
                tailSampled,
                usage(decoded, admitted, governed, tailed, limited, capped),
                audit(admitted, governed, tailed, limited, capped));
        outputs.sinkTo(edges.outputs())
                .uid(OUTPUTS_SINK_UID)
                .name("Kafka: dead letters, audit, usage, tail-sampled, limited");
        return outputs;
    }

    /**
     * {@code stream} as records for the shared sink, in an operator chained to the one that produced it (stable
     * uid {@code to-kafka-<name>}).
     */
    private static <T> DataStream<OutboundRecord> outbound(
            DataStream<T> stream, String name, MapFunction<T, OutboundRecord> toRecord) {
        return stream.map(toRecord)
                .returns(OutboundRecord.class)
                .uid("to-kafka-" + name)
                .name("To Kafka: " + name);
    }

    /**
     * {@code contributions} summed per tenant, window and line for up to a second, in an operator chained to the
     * one that made them (stable uid {@code sum-<name>}), before they are shuffled to their tenant's report.
     */
    private static <D> DataStream<D> summed(DataStream<D> contributions, ReportKind<D> kind, String name) {
        return contributions
                .transform("Sum " + name, contributions.getType(), new SumContributions<>(kind))
                .setParallelism(contributions.getParallelism())
                .uid("sum-" + name);
    }

    private DataStream<OutboundRecord> usage(
            SingleOutputStreamOperator<DecodedRecord> decoded,
            SingleOutputStreamOperator<AdmittedRecord> admitted,
            SingleOutputStreamOperator<GovernedRecord> governed,
            SingleOutputStreamOperator<GovernedRecord> tailed,
            SingleOutputStreamOperator<GovernedRecord> limited,
            SingleOutputStreamOperator<GovernedRecord> capped) {
        UsageReports kind = new UsageReports();
        DataStream<Report> perMinute = summed(decoded.getSideOutput(Outputs.USAGE), kind, "usage-decode")
                .union(
                        summed(admitted.getSideOutput(Outputs.USAGE), kind, "usage-quota"),
                        summed(governed.getSideOutput(Outputs.USAGE), kind, "usage-govern"),
                        summed(tailed.getSideOutput(Outputs.USAGE), kind, "usage-tail"),
                        summed(limited.getSideOutput(Outputs.USAGE), kind, "usage-tail-rate-limit"),
                        summed(capped.getSideOutput(Outputs.USAGE), kind, "usage-cardinality"))
                .keyBy(UsageDelta::tenant)
                .process(new TenantReportFunction<>(kind, reports.graceDuration()))
                .returns(Report.class)
                .uid(USAGE_UID)
                .name("Usage per tenant and minute");
        return outbound(perMinute, "usage", report -> OutboundRecords.report(TopicNames.USAGE, report));
    }

    private DataStream<OutboundRecord> audit(
            SingleOutputStreamOperator<AdmittedRecord> admitted,
            SingleOutputStreamOperator<GovernedRecord> governed,
            SingleOutputStreamOperator<GovernedRecord> tailed,
            SingleOutputStreamOperator<GovernedRecord> limited,
            SingleOutputStreamOperator<GovernedRecord> capped) {
        AuditReports kind = new AuditReports(reports.auditWindowDuration());
        DataStream<Report> summaries = summed(admitted.getSideOutput(Outputs.AUDIT), kind, "audit-quota")
                .union(
                        summed(governed.getSideOutput(Outputs.AUDIT), kind, "audit-govern"),
                        summed(tailed.getSideOutput(Outputs.AUDIT), kind, "audit-tail"),
                        summed(limited.getSideOutput(Outputs.AUDIT), kind, "audit-tail-rate-limit"),
                        summed(capped.getSideOutput(Outputs.AUDIT), kind, "audit-cardinality"))
                .keyBy(AuditDelta::tenant)
                .process(new TenantReportFunction<>(kind, reports.graceDuration()))
                .returns(Report.class)
                .uid(AUDIT_UID)
                .name("Audit per tenant");
        return outbound(summaries, "audit", report -> OutboundRecords.report(TopicNames.AUDIT, report))
                .union(outbound(
                        governed.getSideOutput(Outputs.AUDIT_EVENTS),
                        "rule-changes",
                        report -> OutboundRecords.report(TopicNames.AUDIT, report)));
    }

    /** Builds the job in {@code env} and submits it without waiting for it to end. */
    public JobClient start(StreamExecutionEnvironment env, String jobName) throws Exception {
        build(env);
        return env.executeAsync(jobName);
    }

    /** Runs the job from a settings file: {@code GovernorJob [job.yaml]}. */
    public static void main(String[] args) throws Exception {
        JobSettings settings;
        GovernorJob job;
        try {
            settings = args.length == 0 ? JobSettings.defaults() : JobSettings.load(Path.of(args[0]));
            job = onKafka(settings);
        } catch (ConfigException | RuleValidationException e) {
            System.err.println("otlp-governor job: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("otlp-governor job: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        job.build(env);
        env.execute(settings.jobName());
    }
}
