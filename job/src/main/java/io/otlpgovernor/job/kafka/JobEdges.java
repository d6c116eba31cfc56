package io.otlpgovernor.job.kafka;

import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.Report;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;

/**
 * Where the job reads and writes. Production uses {@link KafkaEdges#all}; tests and benchmarks may swap any edge.
 *
 * @param input       OTLP export requests from the input topics
 * @param rules       rule-set updates from the rules topic
 * @param governed    governed requests, per signal and tier
 * @param deadLetters records that could not be governed
 * @param audit       audit documents
 * @param usage       usage documents
 * @param maxRecordBytes largest governed record to write, before compression: larger governed requests and kept
 *                    traces are written as several records
 */
public record JobEdges(
        Source<InputRecord, ?, ?> input,
        Source<RuleUpdate, ?, ?> rules,
        Sink<GovernedRecord> governed,
        Sink<DeadLetter> deadLetters,
        Sink<Report> audit,
        Sink<Report> usage,
        int maxRecordBytes) {}
