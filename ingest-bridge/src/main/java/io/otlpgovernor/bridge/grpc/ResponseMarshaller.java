package io.otlpgovernor.bridge.grpc;

import java.io.InputStream;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;

/** Writes any response message; the bridge never reads responses. */
final class ResponseMarshaller implements MethodDescriptor.Marshaller<Message> {

    static final ResponseMarshaller INSTANCE = new ResponseMarshaller();

    private ResponseMarshaller() {}

    @Override
    public InputStream stream(Message value) {
        return value.toByteString().newInput();
    }

    @Override
    public Message parse(InputStream stream) {
        throw new UnsupportedOperationException("the bridge does not read export responses");
    }
}
