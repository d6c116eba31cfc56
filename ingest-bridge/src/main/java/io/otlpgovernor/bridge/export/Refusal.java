package io.otlpgovernor.bridge.export;

/**
 * Why the bridge refused a request, with the answer each transport gives (OTLP specification, "Failures").
 * {@link #label()} is the {@code reason} label of the rejection metric.
 */
public enum Refusal {
    /** No credential, or one the bridge does not know. gRPC {@code UNAUTHENTICATED}, HTTP 401; final. */
    UNAUTHENTICATED("unauthenticated", 401, false),
    /** Two credentials naming different tenants (API key and client certificate). {@code PERMISSION_DENIED}, 403; final. */
    PERMISSION_DENIED("permission_denied", 403, false),
    /** Not a valid OTLP request. {@code INVALID_ARGUMENT}, 400; final. */
    INVALID("invalid", 400, false),
    /** Larger than the limit after decompression. {@code RESOURCE_EXHAUSTED} without RetryInfo, 413; final. */
    TOO_LARGE("too_large", 413, false),
    /** Neither protobuf nor JSON, or an unsupported content encoding. HTTP 415; final. */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, false),
    /** The tenant's rate limit. {@code RESOURCE_EXHAUSTED} with RetryInfo, 429 with Retry-After; retryable. */
    THROTTLED("throttled", 429, true),
    /** Too many requests at once, or shutting down. {@code UNAVAILABLE} with RetryInfo, 503 with Retry-After. */
    OVERLOADED("overloaded", 503, true),
    /** Kafka is unreachable or did not take the write. {@code UNAVAILABLE} with RetryInfo, 503 with Retry-After. */
    KAFKA_UNAVAILABLE("kafka_unavailable", 503, true),
    /** No answer from Kafka within the request timeout. {@code DEADLINE_EXCEEDED}, 504; retryable. */
    DEADLINE("deadline", 504, true);

    private final String label;
    private final int httpStatus;
    private final boolean retryable;

    Refusal(String label, int httpStatus, boolean retryable) {
        this.label = label;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    public String label() {
        return label;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }
}
