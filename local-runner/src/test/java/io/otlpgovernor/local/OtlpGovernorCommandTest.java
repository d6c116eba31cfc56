package io.otlpgovernor.local;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/** Mistakes in the options are reported in one line with exit status 2, before anything starts. */
class OtlpGovernorCommandTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--demo --demo-rate 0      | otlp-governor: --demo-rate must be above 0 and at most 1000 requests per second",
                "--demo --demo-rate 5000   | otlp-governor: --demo-rate must be above 0 and at most 1000 requests per second",
                "--demo-rate 10            | otlp-governor: --demo-rate needs --demo",
                "--demo --demo-rate fast   | otlp-governor: Invalid value for option '--demo-rate': 'fast' is not a double (see --help)",
                "--kafka-port abc          | otlp-governor: Invalid value for option '--kafka-port': 'abc' is not an int (see --help)",
                "--demo-speed 3            | otlp-governor: Unknown options: '--demo-speed', '3' (see --help)"
            })
    void reportsABadOptionInOneLine(String args, String message) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = OtlpGovernorCommand.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute(args.trim().split(" +"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(message + System.lineSeparator());
    }
}
