package io.otlpgovernor.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar the Flink image runs ({@code target/otlp-governor-job.jar}, made by the shade plugin in {@code package}):
 * the job and everything it needs that Flink does not have, and none of Flink itself — a second copy of Flink's
 * classes in user code breaks class loading on the cluster.
 */
class ShadedJarIT {

    private static final Path JAR = Path.of("target/otlp-governor-job.jar");

    private static List<String> entries;
    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        assertThat(JAR).as("the shaded job jar (mvn package makes it)").exists();
        jar = new JarFile(JAR.toFile());
        entries = jar.stream().map(ZipEntry::getName).toList();
    }

    @Test
    void containsTheJobAndNamesItAsMainClass() throws IOException {
        assertThat(entries).contains("io/otlpgovernor/job/GovernorJob.class");
        assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                .isEqualTo("io.otlpgovernor.job.GovernorJob");
    }

    @Test
    void containsTheKafkaConnectorAndClientAndTheGovernanceEngine() {
        assertThat(entries)
                .contains(
                        "org/apache/flink/connector/kafka/source/KafkaSource.class",
                        "org/apache/flink/connector/kafka/sink/KafkaSink.class",
                        "org/apache/kafka/clients/producer/KafkaProducer.class",
                        "com/google/protobuf/Message.class",
                        "io/opentelemetry/proto/collector/trace/v1/ExportTraceServiceRequest.class",
                        "io/otlpgovernor/contract/TopicNames.class");
        assertThat(entries).anyMatch(name -> name.startsWith("io/otlpgovernor/rules/") && name.endsWith(".class"));
    }

    @Test
    void leavesOutFlinkItselfAndLogging() {
        assertThat(entries).noneMatch(name -> name.startsWith("org/apache/flink/runtime/"));
        assertThat(entries).noneMatch(name -> name.startsWith("org/apache/flink/streaming/api/environment/"));
        assertThat(entries).noneMatch(name -> name.startsWith("org/apache/flink/api/common/"));
        assertThat(entries).noneMatch(name -> name.startsWith("org/apache/flink/connector/base/"));
        assertThat(entries)
                .noneMatch(
                        name -> name.startsWith("org/apache/flink/state/rocksdb/") || name.startsWith("org/rocksdb/"));
        assertThat(entries)
                .noneMatch(name -> name.startsWith("org/apache/logging/log4j/") || name.startsWith("org/slf4j/"));
    }

    @Test
    void mergesServiceFiles() throws IOException {
        // Kafka's config providers, Jackson's modules and the connector's table factories are found through service
        // files: merged, each appears once with every implementation.
        assertThat(entries)
                .contains(
                        "META-INF/services/org.apache.kafka.common.config.provider.ConfigProvider",
                        "META-INF/services/com.fasterxml.jackson.databind.Module");
        for (String name : entries) {
            if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
                String content = new String(
                        jar.getInputStream(jar.getEntry(name)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(content.lines().filter(line -> !line.isBlank() && !line.startsWith("#")))
                        .as(name)
                        .doesNotHaveDuplicates();
            }
        }
    }

    @Test
    void isSmallerThanFlinkWouldMakeIt() throws IOException {
        // Flink's runtime alone is well over 100 MB of jars; the job's own jar is a fraction of that.
        assertThat(Files.size(JAR)).isLessThan(60L * 1024 * 1024);
    }
}
