package io.otlpgovernor.job.kafka;

import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * Where the job reads and writes. Production uses {@link KafkaEdges#all}; tests and benchmarks may swap any edge.
 *
 * @param input       OTLP export requests from the input topics
 * @param rules       rule-set updates from the rules topic
 * @param governed    governed requests, per signal and tier, from the governing step (chained to it)
 * @param outputs     everything else, each record to its own topic: dead letters, audit and usage documents, and
 *                    what tail sampling writes to the governed topics
 * @param maxRecordBytes largest governed record to write, before compression: larger governed requests and kept
 *                    traces are written as several records
 */
public record JobEdges(
        Source<InputRecord, ?, ?> input,
        Source<RuleUpdate, ?, ?> rules,
        Sink<GovernedRecord> governed,
        Sink<OutboundRecord> outputs,
        int maxRecordBytes) {}
