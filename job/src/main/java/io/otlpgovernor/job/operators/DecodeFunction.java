package io.otlpgovernor.job.operators;

import java.util.Optional;

import io.otlpgovernor.job.model.DeadLetter;
import io.otlpgovernor.rules.contract.RecordHeaders;
import io.otlpgovernor.job.model.GovernedRecord;
import io.otlpgovernor.job.model.InputRecord;
import io.otlpgovernor.rules.otlp.InvalidPayloadException;
import io.otlpgovernor.rules.otlp.OtlpPayloads;
import io.otlpgovernor.rules.otlp.PayloadSummary;
import io.otlpgovernor.rules.tenant.TenantIds;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Checks each input record: it must carry a well-formed tenant header and be a valid OTLP export request of its
 * topic's signal. Good records continue as {@link GovernedRecord}s; every other record goes to
 * {@link #DEAD_LETTERS} with its original bytes and the reason. Bad data never fails the job.
 */
public final class DecodeFunction extends ProcessFunction<InputRecord, GovernedRecord> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    static final String METRIC_GROUP = "governor";

    private transient Counter decoded;
    private transient Counter deadLettered;

    @Override
    public void open(OpenContext context) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP);
        decoded = metrics.counter("requests_decoded");
        deadLettered = metrics.counter("requests_dead_lettered");
    }

    @Override
    public void processElement(InputRecord record, Context context, Collector<GovernedRecord> out) {
        Optional<String> problem = problemWith(record);
        if (problem.isPresent()) {
            deadLettered.inc();
            context.output(DEAD_LETTERS, new DeadLetter(record, problem.get()));
            return;
        }
        try {
            PayloadSummary summary = OtlpPayloads.summarize(record.signal(), record.payload());
            decoded.inc();
            out.collect(new GovernedRecord(record.tenant(), record.signal(), record.payload(), summary.items()));
        } catch (InvalidPayloadException e) {
            deadLettered.inc();
            context.output(DEAD_LETTERS, new DeadLetter(record, e.getMessage()));
        }
    }

    private static Optional<String> problemWith(InputRecord record) {
        if (record.signal() == null) {
            return Optional.of("topic " + record.topic() + " is not an input topic");
        }
        if (record.payload() == null) {
            return Optional.of("record has no value");
        }
        return TenantIds.problem(record.tenant()).map(problem -> "header '" + RecordHeaders.TENANT + "': " + problem);
    }
}
