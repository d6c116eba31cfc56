package io.otlpgovernor.bridge.auth;

import java.util.Map;

import io.otlpgovernor.bridge.export.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {

    private static final String ACME_KEY = "acme-key-0123456789";
    private final Authenticator authenticator = new Authenticator(() -> ApiKeys.of(Map.of(ACME_KEY, "acme")));

    @Test
    void takesKeyFromBearerAuthorization() {
        assertThat(Authenticator.presentedKey("Bearer abc-key", null)).hasValue("abc-key");
    }

    @Test
    void matchesBearerSchemeCaseInsensitively() {
        assertThat(Authenticator.presentedKey("bearer abc-key", null)).hasValue("abc-key");
        assertThat(Authenticator.presentedKey("BEARER abc-key", null)).hasValue("abc-key");
    }

    @Test
    void takesKeyFromXApiKey() {
        assertThat(Authenticator.presentedKey(null, "abc-key")).hasValue("abc-key");
    }

    @Test
    void prefersBearerOverXApiKey() {
        assertThat(Authenticator.presentedKey("Bearer from-bearer", "from-header"))
                .hasValue("from-bearer");
    }

    @Test
    void presentsNothingWhenBothAreMissing() {
        assertThat(Authenticator.presentedKey(null, null)).isEmpty();
    }

    @Test
    void fallsBackToXApiKeyWhenBearerKeyIsEmptyOrNotBearer() {
        assertThat(Authenticator.presentedKey("Bearer ", "abc-key")).hasValue("abc-key");
        assertThat(Authenticator.presentedKey("Bearer ", null)).isEmpty();
        assertThat(Authenticator.presentedKey("Basic dXNlcjpwYXNz", "abc-key")).hasValue("abc-key");
        assertThat(Authenticator.presentedKey("Basic dXNlcjpwYXNz", null)).isEmpty();
        assertThat(Authenticator.presentedKey(null, "   ")).isEmpty();
    }

    @Test
    void authenticatesAKnownKeyAsItsTenant() {
        assertThat(authenticator.authenticate("Bearer " + ACME_KEY, null, null))
                .isEqualTo(new Authenticator.Authenticated("acme"));
    }

    @Test
    void refusesMissingAndUnknownKeysWithoutRepeatingThem() {
        Authenticator.Result missing = authenticator.authenticate(null, null, null);
        Authenticator.Result unknown = authenticator.authenticate(null, "not-a-known-key-at-all", null);

        assertThat(missing).isInstanceOf(Authenticator.Denied.class);
        assertThat(((Authenticator.Denied) missing).reason()).isEqualTo(Refusal.UNAUTHENTICATED);
        assertThat(unknown).isEqualTo(new Authenticator.Denied(Refusal.UNAUTHENTICATED, "unknown API key"));
    }

    @Test
    void readsKeysAnewOnEveryRequest() {
        ApiKeys[] current = {ApiKeys.of(Map.of(ACME_KEY, "acme"))};
        Authenticator reloading = new Authenticator(() -> current[0]);
        assertThat(reloading.authenticate("Bearer " + ACME_KEY, null, null))
                .isEqualTo(new Authenticator.Authenticated("acme"));

        current[0] = ApiKeys.of(Map.of("another-key-0123456789", "acme"));

        assertThat(reloading.authenticate("Bearer " + ACME_KEY, null, null)).isInstanceOf(Authenticator.Denied.class);
    }
}
