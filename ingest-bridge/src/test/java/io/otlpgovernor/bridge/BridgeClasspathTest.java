package io.otlpgovernor.bridge;

import io.otlpgovernor.contract.testing.RuntimeClasspath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bridge forwards OTLP; it must not ship the governance core, the rules CLI or their libraries. */
class BridgeClasspathTest {

    private final RuntimeClasspath classpath = RuntimeClasspath.ofThisModule();

    @Test
    void holdsTheOtlpContract() {
        assertThat(classpath.classesUnder("io.otlpgovernor.contract")).isNotEmpty();
    }

    @Test
    void holdsNoClassOfTheGovernanceCoreOrTheRulesCli() {
        assertThat(classpath.classesUnder("io.otlpgovernor.rules")).isEmpty();
        assertThat(classpath.classesUnder("io.otlpgovernor.cli")).isEmpty();
    }

    @Test
    void holdsNeitherPicocliNorTheDetectorsRegexEngine() {
        assertThat(classpath.classesUnder("picocli")).isEmpty();
        assertThat(classpath.classesUnder("com.google.re2j")).isEmpty();
    }
}
