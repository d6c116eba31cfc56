package io.otlpgovernor.bridge.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.otlpgovernor.bridge.export.Refusal;
import io.otlpgovernor.bridge.ops.BridgeMetrics;
import io.otlpgovernor.contract.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every gRPC call (see {@link Authenticator}) before the request message is read or decompressed,
 * and makes the tenant available to the service through {@link #TENANT}. A refused call is closed with
 * {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}; the key itself never appears in the status, logs or metrics.
 */
public final class TenantAuthInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(TenantAuthInterceptor.class);

    /** The authenticated tenant of the current call. */
    public static final Context.Key<String> TENANT = Context.key("otlp-governor-tenant");

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private final Authenticator authenticator;
    private final BridgeMetrics metrics;

    public TenantAuthInterceptor(Authenticator authenticator, BridgeMetrics metrics) {
        this.authenticator = authenticator;
        this.metrics = metrics;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Authenticator.Result result = authenticator.authenticate(
                headers.get(AUTHORIZATION),
                headers.get(X_API_KEY),
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (result instanceof Authenticator.Authenticated authenticated) {
            return Contexts.interceptCall(
                    Context.current().withValue(TENANT, authenticated.tenant()), call, headers, next);
        }
        Authenticator.Denied denied = (Authenticator.Denied) result;
        LOG.info(
                "Refused a gRPC call from {}: {}",
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                denied.message());
        metrics.refused("grpc", signalOf(call), null, denied.reason());
        Status status =
                denied.reason() == Refusal.PERMISSION_DENIED ? Status.PERMISSION_DENIED : Status.UNAUTHENTICATED;
        call.close(status.withDescription(denied.message()), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    /** The signal label of a call to one of the three OTLP export services. */
    private static String signalOf(ServerCall<?, ?> call) {
        String service = call.getMethodDescriptor().getServiceName();
        if (TraceServiceGrpc.SERVICE_NAME.equals(service)) {
            return Signal.SPANS.id();
        }
        return MetricsServiceGrpc.SERVICE_NAME.equals(service) ? Signal.METRICS.id() : Signal.LOGS.id();
    }
}
