package io.otlpgovernor.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class TenantIdsTest {

    private static final String LONGEST = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"a", "7", "acme", "acme-prod_2", "0tenant", "a-", "b_"})
    void acceptsPlainLowerCaseIds(String id) {
        assertThat(TenantIds.isValid(id)).isTrue();
        assertThat(TenantIds.problem(id)).isEmpty();
    }

    @Test
    void acceptsIdOf63Characters() {
        assertThat(TenantIds.isValid(LONGEST)).isTrue();
        assertThat(TenantIds.problem(LONGEST)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-acme",
                "_acme",
                "Acme",
                "ACME",
                "acme corp",
                "acme.prod",
                "acme/prod",
                "acme\n",
                " acme",
                "ümlaut",
                "acme:1"
            })
    void rejectsMalformedIds(String id) {
        assertThat(TenantIds.isValid(id)).isFalse();
        assertThat(TenantIds.problem(id))
                .hasValueSatisfying(problem -> assertThat(problem).startsWith("tenant id is malformed"));
    }

    @Test
    void rejectsIdOf64Characters() {
        String tooLong = LONGEST + "a";

        assertThat(TenantIds.isValid(tooLong)).isFalse();
        assertThat(TenantIds.problem(tooLong))
                .hasValue("tenant id is malformed (64 characters; expected 1-63 of a-z, 0-9,"
                        + " '-', '_', starting with a letter or digit)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void reportsMissingId(String id) {
        assertThat(TenantIds.isValid(id)).isFalse();
        assertThat(TenantIds.problem(id)).hasValue("tenant id is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer sk-live-0123456789abcdef", "acme.prod", "ACME", "-tenant", "tenant-with-UPPER"})
    void problemNeverRepeatsTheCandidate(String candidate) {
        assertThat(TenantIds.problem(candidate))
                .hasValueSatisfying(problem -> assertThat(problem).doesNotContain(candidate));
    }
}
