package io.otlpgovernor.bridge.export;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.bridge.kafka.KafkaForwarder;
import io.otlpgovernor.bridge.kafka.KafkaHealth;
import io.otlpgovernor.bridge.limits.TenantRateLimiter;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.PayloadSummary;
import io.otlpgovernor.contract.otlp.WireCheck;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an authenticated export request, whatever transport brought it: check it is OTLP
 * ({@link WireCheck}, the same verdict as {@code OtlpPayloads} without building the message; keeping the
 * valid items of a partly invalid one), apply the tenant's rate limit, refuse at once while Kafka is unreachable, and
 * otherwise write it to Kafka and answer when Kafka has acknowledged it — or when the request timeout has passed.
 *
 * <p>The request is forwarded exactly as received, in the protobuf encoding; only the rare partial success
 * re-encodes it without its invalid items.
 */
public final class ExportPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ExportPipeline.class);

    private final KafkaForwarder forwarder;
    private final KafkaHealth kafka;
    private final TenantRateLimiter rateLimiter;
    private final Duration requestTimeout;
    private final Duration retryAfter;
    private final Executor sends;

    /**
     * @param sends runs the producer's {@code send()}, which compresses the record and may block up to
     *              {@code kafka.max-block} for metadata or buffer space: never on a transport's thread, and never
     *              holding up an answer past the request timeout
     */
    public ExportPipeline(
            KafkaForwarder forwarder,
            KafkaHealth kafka,
            TenantRateLimiter rateLimiter,
            BridgeConfig.Limits limits,
            Executor sends) {
        this.sends = sends;
        this.forwarder = forwarder;
        this.kafka = kafka;
        this.rateLimiter = rateLimiter;
        this.requestTimeout = limits.requestTimeoutDuration();
        this.retryAfter = limits.retryAfterDuration();
    }

    /** The suggested retry delay while the bridge is overloaded or Kafka is unreachable. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Handles {@code request}, a serialized {@code Export*ServiceRequest} of {@code signal}, for {@code tenant}. */
    public CompletableFuture<ExportResult> export(Signal signal, String tenant, byte[] request) {
        byte[] payload = request;
        long items;
        long rejected = 0;
        String rejectedWhy = "";
        try {
            PayloadSummary summary = WireCheck.summarize(signal, request);
            items = summary.items();
        } catch (InvalidPayloadException e) {
            Optional<PartialRequests.Split> split = PartialRequests.keepValid(signal, request);
            if (split.isEmpty() || split.get().kept() == 0 || split.get().rejected() == 0) {
                return done(ExportResult.Refused.finalAnswer(Refusal.INVALID, e.getMessage()));
            }
            payload = split.get().payload();
            items = split.get().kept();
            rejected = split.get().rejected();
            rejectedWhy = rejected + " invalid " + signal.itemName() + " refused; the first: "
                    + split.get().firstProblem();
        }
        if (items == 0) {
            // An empty request succeeds (OTLP specification); there is nothing to store.
            return done(new ExportResult.Accepted(0, rejected, rejectedWhy));
        }
        Optional<Duration> wait = rateLimiter.admit(tenant, items);
        if (wait.isPresent()) {
            return done(new ExportResult.Refused(
                    Refusal.THROTTLED,
                    "rate limit of the tenant exceeded; retry after "
                            + wait.get().toSeconds() + "s",
                    wait.get()));
        }
        if (!kafka.reachable()) {
            return done(new ExportResult.Refused(
                    Refusal.KAFKA_UNAVAILABLE, "Kafka is unreachable; retry later", retryAfter));
        }
        byte[] toWrite = payload;
        long acceptedItems = items;
        long rejectedItems = rejected;
        String message = rejectedWhy;
        // The deadline runs from here, whatever the write does.
        CompletableFuture<Object> written = new CompletableFuture<>();
        CompletableFuture<ExportResult> answer = written.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((metadata, error) -> error == null
                        ? new ExportResult.Accepted(acceptedItems, rejectedItems, message)
                        : failed(signal, tenant, unwrap(error)));
        try {
            sends.execute(() -> forwarder.forward(signal, tenant, toWrite).whenComplete((metadata, error) -> {
                if (error == null) {
                    written.complete(metadata);
                } else {
                    written.completeExceptionally(error);
                }
            }));
        } catch (RejectedExecutionException e) {
            written.completeExceptionally(e); // shutting down
        }
        return answer;
    }

    private ExportResult failed(Signal signal, String tenant, Throwable error) {
        if (error instanceof TimeoutException) {
            return new ExportResult.Refused(
                    Refusal.DEADLINE,
                    "Kafka did not acknowledge the request within " + requestTimeout.toSeconds() + "s; retry later",
                    retryAfter);
        }
        if (error instanceof RecordTooLargeException) {
            return ExportResult.Refused.finalAnswer(Refusal.TOO_LARGE, "the request is larger than Kafka accepts");
        }
        kafka.writeFailed(error);
        LOG.warn(
                "Kafka did not take a {} request of tenant {}: {}",
                signal.id(),
                tenant,
                error.getClass().getSimpleName());
        return new ExportResult.Refused(
                Refusal.KAFKA_UNAVAILABLE, "the request could not be stored durably; retry later", retryAfter);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static CompletableFuture<ExportResult> done(ExportResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
