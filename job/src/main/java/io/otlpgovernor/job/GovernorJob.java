package io.otlpgovernor.job;

import java.nio.file.Path;

import io.otlpgovernor.job.config.JobSettings;
import io.otlpgovernor.job.kafka.KafkaEdges;
import io.otlpgovernor.job.model.DeadLetter;
import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.job.model.InputRecord;
import io.otlpgovernor.job.operators.DecodeFunction;
import io.otlpgovernor.job.operators.TenantUsageFunction;
import io.otlpgovernor.rules.config.ConfigException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The governance job: input topics → decode → per-tenant usage → governed topics, with bad records to the
 * dead-letter topic.
 *
 * <p>The job takes its source and sinks in the constructor, so tests run the same graph against any edges;
 * {@link #main} wires the production Kafka edges from a settings file. Every operator has a stable {@code uid}
 * (what savepoints map state by; never change one) and a readable name (what the Flink dashboard shows).
 */
public final class GovernorJob {

    /** Stable operator ids. */
    public static final String SOURCE_UID = "kafka-source";
    public static final String DECODE_UID = "decode";
    public static final String TENANT_USAGE_UID = "tenant-usage";
    public static final String GOVERNED_SINK_UID = "governed-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";

    private final Source<InputRecord, ?, ?> source;
    private final Sink<GovernedRecord> governedSink;
    private final Sink<DeadLetter> deadLetterSink;

    public GovernorJob(Source<InputRecord, ?, ?> source, Sink<GovernedRecord> governedSink, Sink<DeadLetter> deadLetterSink) {
        this.source = source;
        this.governedSink = governedSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** The job on the Kafka edges that {@code settings} describe. */
    public static GovernorJob onKafka(JobSettings settings) {
        return new GovernorJob(KafkaEdges.inputSource(settings), KafkaEdges.governedSink(settings),
                KafkaEdges.deadLetterSink(settings));
    }

    /** Adds the whole job to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<InputRecord> input = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: OTLP input")
                .uid(SOURCE_UID);
        attach(input);
    }

    /** Adds everything after the source, reading from {@code input}. */
    void attach(DataStream<InputRecord> input) {
        SingleOutputStreamOperator<GovernedRecord> decoded = input
                .process(new DecodeFunction())
                .uid(DECODE_UID)
                .name("Decode OTLP");
        decoded.getSideOutput(DecodeFunction.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .uid(DEAD_LETTER_SINK_UID)
                .name("Kafka: dead letters");
        decoded
                .keyBy(GovernedRecord::tenant)
                .process(new TenantUsageFunction())
                .uid(TENANT_USAGE_UID)
                .name("Per-tenant usage")
                .sinkTo(governedSink)
                .uid(GOVERNED_SINK_UID)
                .name("Kafka: governed");
    }

    /** Builds the job in {@code env} and submits it without waiting for it to end. */
    public JobClient start(StreamExecutionEnvironment env, String jobName) throws Exception {
        build(env);
        return env.executeAsync(jobName);
    }

    /** Runs the job from a settings file: {@code GovernorJob [job.yaml]}. */
    public static void main(String[] args) throws Exception {
        JobSettings settings;
        try {
            settings = args.length == 0 ? JobSettings.defaults() : JobSettings.load(Path.of(args[0]));
        } catch (ConfigException e) {
            System.err.println("otlp-governor job: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        onKafka(settings).build(env);
        env.execute(settings.jobName());
    }
}
