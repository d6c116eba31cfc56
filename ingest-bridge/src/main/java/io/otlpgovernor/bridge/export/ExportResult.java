package io.otlpgovernor.bridge.export;

import java.time.Duration;

/** The outcome of one export request, before a transport turns it into its own answer. */
public sealed interface ExportResult {

    /**
     * Kafka acknowledged the request.
     *
     * @param items         spans, data points or log records written
     * @param rejectedItems items refused because they were invalid (a partial success; 0 for a full success)
     * @param message       why items were refused; empty for a full success
     */
    record Accepted(long items, long rejectedItems, String message) implements ExportResult {
        public static Accepted all(long items) {
            return new Accepted(items, 0, "");
        }
    }

    /**
     * The request was refused; nothing of it was written.
     *
     * @param reason     why, which decides the status code
     * @param message    for the client; names what is wrong and where, never payload content or credentials
     * @param retryAfter when a retry may succeed, for retryable reasons; {@code null} otherwise
     */
    record Refused(Refusal reason, String message, Duration retryAfter) implements ExportResult {
        public static Refused finalAnswer(Refusal reason, String message) {
            return new Refused(reason, message, null);
        }
    }
}
