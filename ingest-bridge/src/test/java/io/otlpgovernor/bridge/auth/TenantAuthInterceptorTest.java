package io.otlpgovernor.bridge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import org.junit.jupiter.api.Test;

class TenantAuthInterceptorTest {

    @Test
    void takesKeyFromBearerAuthorization() {
        assertThat(TenantAuthInterceptor.presentedKey(headers("Bearer abc-key", null))).hasValue("abc-key");
    }

    @Test
    void matchesBearerSchemeCaseInsensitively() {
        assertThat(TenantAuthInterceptor.presentedKey(headers("bearer abc-key", null))).hasValue("abc-key");
        assertThat(TenantAuthInterceptor.presentedKey(headers("BEARER abc-key", null))).hasValue("abc-key");
    }

    @Test
    void takesKeyFromXApiKey() {
        assertThat(TenantAuthInterceptor.presentedKey(headers(null, "abc-key"))).hasValue("abc-key");
    }

    @Test
    void prefersBearerOverXApiKey() {
        assertThat(TenantAuthInterceptor.presentedKey(headers("Bearer from-bearer", "from-header"))).hasValue("from-bearer");
    }

    @Test
    void presentsNothingWhenBothAreMissing() {
        assertThat(TenantAuthInterceptor.presentedKey(new Metadata())).isEmpty();
    }

    @Test
    void fallsBackToXApiKeyWhenBearerKeyIsEmpty() {
        assertThat(TenantAuthInterceptor.presentedKey(headers("Bearer ", "abc-key"))).hasValue("abc-key");
        assertThat(TenantAuthInterceptor.presentedKey(headers("Bearer ", null))).isEmpty();
    }

    @Test
    void fallsBackToXApiKeyWhenAuthorizationIsNotBearer() {
        assertThat(TenantAuthInterceptor.presentedKey(headers("Basic dXNlcjpwYXNz", "abc-key"))).hasValue("abc-key");
        assertThat(TenantAuthInterceptor.presentedKey(headers("Basic dXNlcjpwYXNz", null))).isEmpty();
    }

    @Test
    void ignoresBlankXApiKey() {
        assertThat(TenantAuthInterceptor.presentedKey(headers(null, "   "))).isEmpty();
    }

    private static Metadata headers(String authorization, String apiKey) {
        Metadata headers = new Metadata();
        if (authorization != null) {
            headers.put(TenantAuthInterceptor.AUTHORIZATION, authorization);
        }
        if (apiKey != null) {
            headers.put(TenantAuthInterceptor.X_API_KEY, apiKey);
        }
        return headers;
    }
}
