package io.otlpgovernor.rules.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.testing.Telemetry;
import io.otlpgovernor.rules.pipeline.model.GovernedRecord;
import io.otlpgovernor.rules.pipeline.model.TailVerdict;
import io.otlpgovernor.rules.pipeline.model.TracePiece;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import io.otlpgovernor.rules.sampling.SamplingItems;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TailOutputTest {

    private static final int MAX_RECORD_BYTES = 64 * 1024;

    @Test
    void aKeptTraceThatFitsIsOneRecord() {
        List<TracePiece> pieces = pieces(3, 10, 100);

        TailOutput.Result result =
                TailOutput.apply(pieces, new TailVerdict(true, TailVerdict.UNCHANGED, "errors"), MAX_RECORD_BYTES);

        assertThat(result.records())
                .singleElement()
                .satisfies(record -> assertThat(record.items()).isEqualTo(30));
    }

    @Test
    void aKeptTraceGatheredFromManyRequestsIsWrittenInRecordsThatFitEachSpanOnce() throws Exception {
        List<TracePiece> pieces = pieces(12, 20, 1_000);
        List<String> sent = new ArrayList<>();
        for (TracePiece piece : pieces) {
            ExportTraceServiceRequest.parseFrom(piece.payload())
                    .getResourceSpans(0)
                    .getScopeSpans(0)
                    .getSpansList()
                    .forEach(span -> sent.add(span.getName()));
        }

        for (long threshold : new long[] {TailVerdict.UNCHANGED, 1L << 55}) {
            TailOutput.Result result =
                    TailOutput.apply(pieces, new TailVerdict(true, threshold, "sample"), MAX_RECORD_BYTES);

            assertThat(result.records()).hasSizeGreaterThan(3);
            List<String> written = new ArrayList<>();
            for (GovernedRecord record : result.records()) {
                assertThat(record.payload().length).isLessThanOrEqualTo(MAX_RECORD_BYTES);
                ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(record.payload());
                assertThat(record.items()).isEqualTo(SamplingItems.count(part));
                part.getResourceSpansList()
                        .forEach(r -> r.getScopeSpansList()
                                .forEach(s -> s.getSpansList().forEach(span -> {
                                    written.add(span.getName());
                                    if (threshold != TailVerdict.UNCHANGED) {
                                        assertThat(span.getTraceState())
                                                .as("every part carries the verdict's threshold")
                                                .contains("th:");
                                    }
                                })));
            }
            assertThat(written).containsExactlyElementsOf(sent);
            assertThat(result.usage())
                    .extracting(UsageDelta::accepted)
                    .containsExactlyElementsOf(
                            result.records().stream().map(GovernedRecord::items).toList());
        }
    }

    /** {@code count} pieces of one trace, {@code spans} spans each with a note of {@code noteBytes}. */
    private static List<TracePiece> pieces(int count, int spans, int noteBytes) {
        List<TracePiece> pieces = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ExportTraceServiceRequest request =
                    Telemetry.spans("piece-" + i, spans, 1_780_000_000_000L, "note", "n".repeat(noteBytes));
            pieces.add(new TracePiece(
                    "shop/trace",
                    "shop",
                    Signal.SPANS,
                    "standard",
                    1,
                    "",
                    request.toByteArray(),
                    spans,
                    spans,
                    1_000L * i,
                    null));
        }
        return pieces;
    }
}
