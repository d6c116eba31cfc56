package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class path of the child processes: this module's resolved test dependencies, which Maven writes to
 * {@code target/fault-injection/classpath.txt} (the test JVM's own class path is a manifest-only jar under Surefire).
 */
final class ProcessClasspath {

    private static String classpath;

    private ProcessClasspath() {}

    static synchronized String get() {
        if (classpath == null) {
            Path file = Path.of(System.getProperty("fault.classpath", "target/fault-injection/classpath.txt"));
            try {
                classpath = Files.readString(file).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "no class path file " + file + " (mvn generate-test-resources writes it)", e);
            }
        }
        return classpath;
    }
}
