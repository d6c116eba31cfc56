package io.otlpgovernor.rules;

import io.otlpgovernor.contract.testing.RuntimeClasspath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The governance core is plain Java over the OTLP contract: no Flink, no Kafka client, no CLI framework. */
class CoreClasspathTest {

    private final RuntimeClasspath classpath = RuntimeClasspath.ofThisModule();

    @Test
    void buildsOnTheOtlpContract() {
        assertThat(classpath.classesUnder("io.otlpgovernor.contract")).isNotEmpty();
    }

    @Test
    void holdsNoFlinkKafkaClientOrPicocli() {
        assertThat(classpath.classesUnder("org.apache.flink")).isEmpty();
        assertThat(classpath.classesUnder("org.apache.kafka")).isEmpty();
        assertThat(classpath.classesUnder("picocli")).isEmpty();
    }

    @Test
    void holdsNoneOfTheModulesBuiltOnIt() {
        assertThat(classpath.classesUnder("io.otlpgovernor.job")).isEmpty();
        assertThat(classpath.classesUnder("io.otlpgovernor.cli")).isEmpty();
        assertThat(classpath.classesUnder("io.otlpgovernor.bridge")).isEmpty();
    }
}
