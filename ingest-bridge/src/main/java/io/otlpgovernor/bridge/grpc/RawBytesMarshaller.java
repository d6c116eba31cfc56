package io.otlpgovernor.bridge.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Keeps a request as the bytes the client sent, so the bridge forwards exactly those bytes instead of
 * re-encoding a parsed message.
 *
 * <p>A compressed request is decompressed while it is read here, and gRPC stops the read with
 * {@code RESOURCE_EXHAUSTED} once the message passes the size limit; thrown from here, gRPC would turn that into
 * {@code UNKNOWN}, so the read returns {@link #TOO_LARGE} instead and the service answers.
 */
final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

    static final RawBytesMarshaller INSTANCE = new RawBytesMarshaller();

    /** Stands for a message that exceeded the size limit once decompressed; compared by identity. */
    static final byte[] TOO_LARGE = new byte[0];

    private RawBytesMarshaller() {}

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            // gRPC's message streams know their length (KnownLength): read into one array of that size instead of
            // letting readAllBytes() grow and copy buffers. A compressed message reports what is left to inflate
            // only as it goes, so it takes the general path.
            if (stream instanceof KnownLength) {
                byte[] message = new byte[stream.available()];
                int read = stream.readNBytes(message, 0, message.length);
                if (read == message.length && stream.read() == -1) {
                    return message;
                }
                throw new IOException("the message stream ended early or ran past its length");
            }
            return stream.readAllBytes();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                return TOO_LARGE;
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
