package io.otlpgovernor.rules.pipeline.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.sampling.tail.TraceSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary form of trace pieces and trace states: what is written is read back equal, field for field. */
class TailRecordsBinaryFormTest {

    private static final TraceSummary SUMMARY = new TraceSummary(
            3, 1200, 1_000, 9_000, true, new long[] {0b101, 1L << 63}, 0xfeedL, true, 1_000, "checkout", 0xabcdef, 7);

    @Test
    void aPieceWithItsSummaryAndOneWithoutAreReadBackEqual() throws IOException {
        for (TracePiece piece : List.of(piece(Signal.SPANS, SUMMARY), piece(Signal.LOGS, null))) {
            TracePiece read = roundTrip(piece::writeTo, TracePiece::readFrom);
            assertThat(read).usingRecursiveComparison().isEqualTo(piece);
            assertThat(read.payload()).isEqualTo(piece.payload());
        }
    }

    @Test
    void everyKindOfTraceStateIsReadBackEqual() throws IOException {
        for (TraceState state : List.of(
                TraceState.pending(null, 42_000),
                TraceState.pending(SUMMARY, 43_000),
                TraceState.decided(new TailVerdict(true, 0x80_0000_0000_0000L, "errors"), 90_000),
                TraceState.decided(new TailVerdict(false, TailVerdict.ERASE, ""), 91_000))) {
            assertThat(roundTrip(state::writeTo, TraceState::readFrom)).isEqualTo(state);
        }
    }

    @Test
    void stringsLongerThanWhatDataOutputWriteUtfTakesAreReadBackEqual() throws IOException {
        // Clients choose the service name (and the trace id, hex in the key): nothing caps them at 64 KiB.
        String service = "é".repeat(40_000);
        TraceSummary summary = new TraceSummary(1, 1, 0, 0, false, new long[0], 1, true, 0, service, 1, -1);
        TracePiece piece = new TracePiece(
                "bench/" + "0a".repeat(40_000),
                "bench",
                Signal.SPANS,
                "standard",
                1,
                "",
                new byte[0],
                1,
                1,
                0,
                summary);

        TracePiece read = roundTrip(piece::writeTo, TracePiece::readFrom);

        assertThat(read.key()).isEqualTo(piece.key());
        assertThat(read.summary()).isEqualTo(summary);
    }

    @Test
    void aRateLimitedTraceCarriesItsPiecesInTheSameForm() {
        List<TracePiece> pieces = List.of(piece(Signal.SPANS, null), piece(Signal.LOGS, null));
        assertThat(RateLimitedTrace.decode(RateLimitedTrace.encode(pieces)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(pieces);
    }

    @Test
    void anUnknownSignalCodeIsAnErrorThatSaysSo() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        piece(Signal.SPANS, null).writeTo(new DataOutputStream(bytes));
        byte[] corrupt = bytes.toByteArray();
        int signalAt = 4 + "bench/0af7".length() + 4 + "bench".length();
        corrupt[signalAt] = 9;
        assertThatThrownBy(() -> TracePiece.readFrom(new DataInputStream(new ByteArrayInputStream(corrupt))))
                .isInstanceOf(IOException.class)
                .hasMessage("unknown signal code 9 in a trace piece");
    }

    private static TracePiece piece(Signal signal, TraceSummary summary) {
        return new TracePiece(
                "bench/0af7",
                "bench",
                signal,
                "extended",
                12,
                "pii,secret",
                new byte[] {10, 3, 1, 2, 3},
                5,
                12.5,
                1_764_000_000_000L,
                summary);
    }

    private interface Writer {
        void writeTo(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T readFrom(DataInputStream in) throws IOException;
    }

    private static <T> T roundTrip(Writer writer, Reader<T> reader) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writer.writeTo(out);
        out.flush();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        T read = reader.readFrom(in);
        assertThat(in.read()).as("bytes left after the record").isEqualTo(-1);
        return read;
    }
}
