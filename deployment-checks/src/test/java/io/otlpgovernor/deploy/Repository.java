package io.otlpgovernor.deploy;

import java.nio.file.Path;

/** Paths of the repository under test. */
final class Repository {

    static final Path ROOT = Path.of(System.getProperty("deploy.repository.root", "..")).toAbsolutePath().normalize();
    static final Path TEMP = Path.of("target/tmp").toAbsolutePath();

    private Repository() {
    }

    static DeploymentCheck check() {
        return new DeploymentCheck(ROOT, TEMP);
    }
}
