package io.otlpgovernor.bridge.auth;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.otlpgovernor.bridge.export.Refusal;

/**
 * Finds the tenant of a request from its credentials, for both transports, before anything of the request body is
 * read. The tenant comes only from a credential: an API key ({@code authorization: Bearer <key>} or
 * {@code x-api-key: <key>}) or a verified client certificate whose subject the keys file maps to a tenant. No header
 * or field the client chooses can name a tenant.
 *
 * <p>When a request carries both, they must name the same tenant. Answers never repeat a presented key.
 */
public final class Authenticator {

    private static final String BEARER = "bearer ";

    private final Supplier<ApiKeys> keys;

    public Authenticator(Supplier<ApiKeys> keys) {
        this.keys = keys;
    }

    /** The outcome of authentication. */
    public sealed interface Result {}

    /** @param tenant the authenticated tenant */
    public record Authenticated(String tenant) implements Result {}

    /** @param reason {@link Refusal#UNAUTHENTICATED} or {@link Refusal#PERMISSION_DENIED}; @param message for the client */
    public record Denied(Refusal reason, String message) implements Result {}

    /**
     * @param authorization the {@code authorization} header, or null
     * @param apiKey        the {@code x-api-key} header, or null
     * @param tls           the connection's TLS session, or null for plaintext
     */
    public Result authenticate(String authorization, String apiKey, SSLSession tls) {
        ApiKeys current = keys.get();
        Optional<String> certificateTenant = subjectOf(tls).flatMap(current::tenantForSubject);
        Optional<String> presented = presentedKey(authorization, apiKey);
        if (presented.isEmpty()) {
            return certificateTenant
                    .<Result>map(Authenticated::new)
                    .orElseGet(() -> new Denied(
                            Refusal.UNAUTHENTICATED,
                            "missing API key: send 'authorization: Bearer <key>' or 'x-api-key: <key>'"));
        }
        Optional<String> keyTenant = current.tenantFor(presented.get());
        if (keyTenant.isEmpty()) {
            return new Denied(Refusal.UNAUTHENTICATED, "unknown API key");
        }
        if (certificateTenant.isPresent() && !certificateTenant.get().equals(keyTenant.get())) {
            return new Denied(
                    Refusal.PERMISSION_DENIED, "the API key and the client certificate belong to different tenants");
        }
        return new Authenticated(keyTenant.get());
    }

    static Optional<String> presentedKey(String authorization, String apiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            if (!key.isEmpty()) {
                return Optional.of(key);
            }
        }
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
    }

    private static Optional<javax.security.auth.x500.X500Principal> subjectOf(SSLSession tls) {
        if (tls == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = tls.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? Optional.of(leaf.getSubjectX500Principal())
                    : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty(); // no client certificate: the request needs an API key
        }
    }
}
