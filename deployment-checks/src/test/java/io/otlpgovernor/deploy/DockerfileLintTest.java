package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.file.Files;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docker/*.Dockerfile: dockerfilelint finds nothing, and the images are what the deployment expects. */
class DockerfileLintTest {

    @BeforeAll
    static void installDockerfilelint() throws IOException, InterruptedException {
        Repository.installDockerfilelint();
    }

    @Test
    void dockerfilesLintClean() {
        assertThat(Repository.check().lintDockerfiles()).isEmpty();
    }

    @Test
    void jobImageIsFlink22WithTheJobJarInUsrlib() throws IOException {
        String dockerfile = Files.readString(Repository.ROOT.resolve("docker/job.Dockerfile"));

        assertThat(dockerfile)
                .contains("FROM flink:2.2.0-java17")
                .contains("/opt/flink/usrlib/otlp-governor-job.jar")
                .contains("/opt/flink/plugins/s3-fs-hadoop")
                .contains("metrics.reporter.prom.port: 9249");
    }

    @Test
    void bridgeImageRunsAsANumericUserAndChecksReadiness() throws IOException {
        String dockerfile = Files.readString(Repository.ROOT.resolve("docker/bridge.Dockerfile"));

        assertThat(dockerfile)
                .contains("FROM eclipse-temurin:17-jre")
                .contains("USER 10001:10001")
                .contains("/health/ready")
                .contains("io.otlpgovernor.bridge.BridgeMain");
    }
}
