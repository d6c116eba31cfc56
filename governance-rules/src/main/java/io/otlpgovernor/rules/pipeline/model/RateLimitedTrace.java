package io.otlpgovernor.rules.pipeline.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A decided trace whose fate hinges on a rate-limit tail policy, on its way to the limiter of its service.
 *
 * @param limiterKey      {@code tenant + "/" + service}: the key of the limiter asked
 * @param tenant          the tenant
 * @param policyId        the rate-limit policy
 * @param spansPerSecond  its rate
 * @param spans           the trace's spans (what it asks the limiter for)
 * @param pieces          the trace's buffered pieces, {@link #encode encoded} (a record holds no lists)
 */
public record RateLimitedTrace(
        String limiterKey, String tenant, String policyId, long spansPerSecond, long spans, byte[] pieces) {

    /** Encodes pieces as one byte array. */
    public static byte[] encode(List<TracePiece> pieces) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(pieces.size());
            for (TracePiece piece : pieces) {
                piece.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The pieces {@link #encode} encoded. */
    public static List<TracePiece> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int count = in.readInt();
            List<TracePiece> pieces = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                pieces.add(TracePiece.readFrom(in));
            }
            return pieces;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
