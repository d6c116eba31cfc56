package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Paths of the repository under test. */
final class Repository {

    static final Path ROOT = Path.of(System.getProperty("deploy.repository.root", ".."))
            .toAbsolutePath()
            .normalize();
    static final Path TEMP = Path.of("target/tmp").toAbsolutePath();

    private Repository() {}

    /** Installs the pinned dockerfilelint when it is missing (.ci/run does it beforehand), as the bridge's Node test does. */
    static synchronized void installDockerfilelint() throws IOException, InterruptedException {
        Path node = ROOT.resolve("deployment-checks/src/test/node");
        if (new DockerfileLint(node).installed()) {
            return;
        }
        // Not inheritIO(): npm would share the test JVM's stdin (its channel to Maven's surefire, which then breaks)
        // and write into its stdout. Its output goes to a file under target/ instead.
        Path log = Files.createDirectories(TEMP).resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                .directory(node.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci in " + node).isTrue();
        assertThat(npm.exitValue())
                .as("npm ci in %s; its output: %s", node, log)
                .isZero();
    }

    static DeploymentCheck check() {
        return new DeploymentCheck(ROOT, TEMP);
    }
}
