package io.otlpgovernor.bridge.auth;

import java.util.Optional;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Authenticates every gRPC call by its API key, before the request message is read, and makes the tenant
 * available to the service through {@link #TENANT}. The tenant comes only from the key: nothing the client sends
 * can name one.
 *
 * <p>Keys are accepted as {@code authorization: Bearer <key>} or {@code x-api-key: <key>}. A missing or unknown
 * key closes the call with {@code UNAUTHENTICATED}; the key itself never appears in the status or in logs.
 */
public final class TenantAuthInterceptor implements ServerInterceptor {

    /** The authenticated tenant of the current call. */
    public static final Context.Key<String> TENANT = Context.key("otlp-governor-tenant");

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> X_API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;

    public TenantAuthInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Optional<String> presented = presentedKey(headers);
        if (presented.isEmpty()) {
            return refuse(call, "missing API key: send 'authorization: Bearer <key>' or 'x-api-key: <key>'");
        }
        Optional<String> tenant = keys.tenantFor(presented.get());
        if (tenant.isEmpty()) {
            return refuse(call, "unknown API key");
        }
        return Contexts.interceptCall(Context.current().withValue(TENANT, tenant.get()), call, headers, next);
    }

    static Optional<String> presentedKey(Metadata headers) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        String apiKey = headers.get(X_API_KEY);
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
    }

    private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, String why) {
        call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
