package io.otlpgovernor.contract.otlp;

/**
 * A payload that is not a valid OTLP export request. The message says what is wrong and where (a field path such as
 * {@code resource_spans[0].scope_spans[1].spans[3].trace_id}); it never contains payload content.
 */
public final class InvalidPayloadException extends Exception {

    public InvalidPayloadException(String message) {
        super(message, null, false, false);
    }
}
