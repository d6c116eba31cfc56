package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;

import org.apache.kafka.common.KafkaException;

/** The one-line errors of the subjects commands. None of them quotes an identifier. */
final class Outcomes {

    private Outcomes() {}

    static int usage(PrintWriter err, String command, String message) {
        err.println("otlp-governor subjects " + command + ": " + message);
        return 2;
    }

    static int kafka(PrintWriter err, String command, KafkaException e) {
        err.println("otlp-governor subjects " + command + ": " + e.getMessage());
        return 1;
    }
}
