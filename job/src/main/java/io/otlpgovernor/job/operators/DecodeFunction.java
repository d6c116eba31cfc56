package io.otlpgovernor.job.operators;

import java.util.Optional;

import io.otlpgovernor.contract.RecordHeaders;
import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.WireCheck;
import io.otlpgovernor.rules.pipeline.model.DeadLetter;
import io.otlpgovernor.rules.pipeline.model.DecodedRecord;
import io.otlpgovernor.rules.pipeline.model.InputRecord;
import io.otlpgovernor.rules.pipeline.model.SourcePosition;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.sampling.ItemRandomness;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Checks each input record: it must carry a well-formed tenant header and be a valid OTLP export request of its
 * topic's signal. Good records continue as {@link DecodedRecord}s, with the per-item sampling randomness the quota
 * needs (computed here, in parallel, so the per-tenant quota never parses). Decoding does not parse either: a walk
 * over the wire format ({@link WireCheck}, the same verdict as a parse) checks the request and finds its items, and
 * the randomness is read from the few fields that hold it — the governing step is the one place a request is
 * parsed. Every other record goes to
 * {@link Outputs#DEAD_LETTERS} with its original bytes and the reason, and — when its tenant is known — counts as an
 * invalid request in that tenant's usage. Bad data never fails the job.
 */
public final class DecodeFunction extends ProcessFunction<InputRecord, DecodedRecord> {

    private transient Counter decoded;
    private transient Counter deadLettered;

    @Override
    public void open(OpenContext context) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup(Metrics.GROUP);
        decoded = metrics.counter(Metrics.REQUESTS_DECODED);
        deadLettered = metrics.counter(Metrics.REQUESTS_DEAD_LETTERED);
    }

    @Override
    public void processElement(InputRecord record, Context context, Collector<DecodedRecord> out) {
        Optional<String> problem = problemWith(record);
        if (problem.isPresent()) {
            deadLetter(record, problem.get(), context);
            return;
        }
        try {
            WireCheck.Located located = WireCheck.locate(record.signal(), record.payload());
            decoded.inc();
            out.collect(new DecodedRecord(
                    record.tenant(),
                    record.signal(),
                    record.payload(),
                    located.summary().items(),
                    record.timestamp(),
                    randomness(record, located),
                    SourcePosition.of(record)));
        } catch (InvalidPayloadException e) {
            deadLetter(record, e.getMessage(), context);
        }
    }

    private void deadLetter(InputRecord record, String reason, Context context) {
        deadLettered.inc();
        context.output(Outputs.DEAD_LETTERS, new DeadLetter(record, reason));
        if (record.signal() != null && TenantIds.isValid(record.tenant())) {
            long bytes = record.payload() == null ? 0 : record.payload().length;
            context.output(
                    Outputs.USAGE, UsageDelta.invalid(record.tenant(), record.signal(), record.timestamp(), bytes));
        }
    }

    private static char[] randomness(InputRecord record, WireCheck.Located located) {
        return switch (record.signal()) {
            case SPANS -> ItemRandomness.spans(record.payload(), located.items());
            case LOGS -> ItemRandomness.logs(record.payload(), located.items());
            case METRICS -> null;
        };
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
