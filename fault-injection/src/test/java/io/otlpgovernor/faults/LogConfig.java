package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One log4j2 configuration for every child process: INFO to standard output, which goes to the process's log file. */
final class LogConfig {

    private LogConfig() {}

    static synchronized Path write(Path dir) {
        Path file = dir.resolve("log4j2.properties");
        if (Files.exists(file)) {
            return file;
        }
        String config = String.join(
                "\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console",
                "appender.out.name = out",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                // Kafka clients log every connection attempt to a dead node; the failures are the experiment.
                "logger.kafkaclients.name = org.apache.kafka.clients",
                "logger.kafkaclients.level = WARN",
                "");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, config);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
