package io.otlpgovernor.local.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** {@code ./otlp-governor demo explode}: mistakes in the options in one line with exit status 2, before anything is sent. */
class ExplodeCommandTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "explode --tenant initech                       | otlp-governor: --tenant must be a demo tenant (acme, globex, paynow), not 'initech'",
                "explode --tenant globex                        | otlp-governor: --service must be one of globex's demo services (patient-portal, appointments, ehr-records, notifications), not 'checkout'",
                "explode --service billing                      | otlp-governor: --service must be one of acme's demo services (web-frontend, checkout, inventory, payment-gateway, customers), not 'billing'",
                "explode --metric 9lives                        | otlp-governor: --metric must be an OpenTelemetry instrument name (a letter, then up to 254 letters, digits, '_', '.', '-' or '/'), not '9lives'",
                "explode --attribute cart:id                    | otlp-governor: --attribute must be an attribute key (a letter, then up to 254 letters, digits, '_', '.' or '-'), not 'cart:id'",
                "explode --series 0                             | otlp-governor: --series must be from 1 to 10,000",
                "explode --series 10001                         | otlp-governor: --series must be from 1 to 10,000",
                "explode --series lots                          | otlp-governor: Invalid value for option '--series': 'lots' is not an int (see --help)",
                "explode --rate 0                               | otlp-governor: --rate must be above 0 and at most 10,000 new series per second",
                "explode --rate NaN                             | otlp-governor: --rate must be above 0 and at most 10,000 new series per second",
                "explode --minutes 0                            | otlp-governor: --minutes must be above 0 and at most 60",
                "explode --minutes 90                           | otlp-governor: --minutes must be above 0 and at most 60",
                "explode --series 5000 --rate 10 --minutes 5    | otlp-governor: --series 5000 at --rate 10 takes 8.3 minutes, longer than --minutes 5: raise --rate or --minutes",
                "explode --series 100 --rate 0.5 --minutes 2.5  | otlp-governor: --series 100 at --rate 0.5 takes 3.3 minutes, longer than --minutes 2.5: raise --rate or --minutes",
                "explode --endpoint localhost:4317              | otlp-governor: --endpoint must be an http:// or https:// URL such as http://localhost:4317, not 'localhost:4317'",
                "explode --endpoint http://localhost:4317/v1    | otlp-governor: --endpoint must be an http:// or https:// URL such as http://localhost:4317, not 'http://localhost:4317/v1'",
                "explode --speed 3                              | otlp-governor: Unknown options: '--speed', '3' (see --help)",
                "implode                                        | otlp-governor: Unmatched argument at index 0: 'implode' (see --help)",
                "''                                             | otlp-governor: Missing required subcommand (see --help)"
            })
    void reportsABadOptionInOneLine(String args, String message) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = DemoCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        int status =
                commandLine.execute(args.isBlank() ? new String[0] : args.trim().split(" +"));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(message + System.lineSeparator());
        assertThat(out.toString()).as("nothing started").isEmpty();
    }

    @Test
    void theDefaultsExplodeAcmesOrdersPlacedWithACartIdPerDataPoint() {
        CommandLine commandLine = DemoCommand.commandLine();
        commandLine.parseArgs("explode");
        ExplodeCommand explode = commandLine.getSubcommands().get("explode").getCommand();

        assertThat(explode.problem()).isEmpty();
        assertThat(List.of(explode.tenant, explode.service, explode.metric, explode.attribute))
                .containsExactly("acme", "checkout", "orders.placed", "cart.id");
        assertThat(explode.series).isEqualTo(5000);
        assertThat(explode.rate).isEqualTo(100);
        assertThat(explode.minutes).isEqualTo(5);
        assertThat(explode.endpoint).isEqualTo("http://localhost:4317");
        assertThat(ExplodeCommand.EXPORT_INTERVAL)
                .as("exports as often as the demo's own services")
                .isEqualTo(DemoWorkload.METRIC_INTERVAL);
    }

    @Test
    void aBridgeThatIsNotThereEndsTheRunAfterTheFirstExportInOneLineWithExitStatus1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = DemoCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        ExplodeCommand explode = commandLine.getSubcommands().get("explode").getCommand();
        explode.exportInterval = Duration.ofMillis(200);

        int status = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> commandLine.execute(
                        "explode",
                        "--endpoint",
                        "http://localhost:" + closedPort,
                        "--series",
                        "10",
                        "--minutes",
                        "10"));

        assertThat(status).isEqualTo(1);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).isNotEmpty().allMatch(line -> line.startsWith("otlp-governor: "), "one-line messages");
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("otlp-governor: nothing was sent: the bridge at http://localhost:" + closedPort
                        + " did not accept the export (is ./otlp-governor local --demo running there?)");
        assertThat(err.toString()).doesNotContain("acme-demo-key").doesNotContain("\tat ");
        assertThat(out.toString()).contains("export of 10 data points failed");
    }
}
