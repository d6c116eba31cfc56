package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules: valid for Prometheus, unit-tested both ways with promtool, and each with severity and runbook. */
class AlertRulesTest {

    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private static final Pattern HEADING = Pattern.compile("^#+\\s+(.+)$", Pattern.MULTILINE);

    @Test
    void theRuleFileIsValid() throws Exception {
        Promtool.Result result =
                Promtool.run(MonitoringFiles.ALERTS.getParent(), "check", "rules", fileName(MonitoringFiles.ALERTS));
        assertThat(result.succeeded())
                .as("promtool check rules:%n%s", result.output())
                .isTrue();
    }

    @Test
    void theAlertUnitTestsPass() throws Exception {
        Promtool.Result result = Promtool.run(
                MonitoringFiles.ALERT_TESTS.getParent(), "test", "rules", fileName(MonitoringFiles.ALERT_TESTS));
        assertThat(result.succeeded())
                .as("promtool test rules:%n%s", result.output())
                .isTrue();
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        assertThat(AlertTestCoverage.load(MonitoringFiles.ALERT_TESTS).problems(alertNames()))
                .isEmpty();
    }

    @Test
    void everyAlertHasASeveritySummaryDescriptionAndRunbook() throws IOException {
        for (AlertRuleFile.Rule alert :
                AlertRuleFile.load(MonitoringFiles.ALERTS).alerts()) {
            assertThat(alert.labels().get("severity"))
                    .as("%s severity", alert.alert())
                    .isIn(SEVERITIES);
            for (String annotation : List.of("summary", "description", "runbook", "runbook_url")) {
                assertThat(alert.annotations().get(annotation))
                        .as("%s annotation %s", alert.alert(), annotation)
                        .isNotBlank();
            }
        }
    }

    @Test
    void everyRunbookUrlPointsAtASectionOfTheMonitoringDoc() throws IOException {
        Set<String> anchors = anchors(Files.readString(MonitoringFiles.MONITORING_DOC));
        for (AlertRuleFile.Rule alert :
                AlertRuleFile.load(MonitoringFiles.ALERTS).alerts()) {
            String url = alert.annotations().get("runbook_url");
            assertThat(url).as("%s runbook_url", alert.alert()).startsWith("docs/monitoring.md#");
            assertThat(anchors).as("headings of docs/monitoring.md").contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void aRuleFileWithASyntaxErrorFailsTheCheck() throws Exception {
        Path broken = copyWith(
                MonitoringFiles.ALERTS,
                "broken-syntax/alerts.yaml",
                "expr: up{job=~\".*bridge.*\"} == 0",
                "expr: up{job=~\".*bridge.*\"} ==");
        Promtool.Result result = Promtool.run(broken.getParent(), "check", "rules", fileName(broken));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.output()).contains("OtlpBridgeDown");
    }

    @Test
    void aRuleFileThatIsNotARuleFileFailsTheCheck() throws Exception {
        Path broken = copyWith(MonitoringFiles.ALERTS, "broken-structure/alerts.yaml", "    rules:\n", "    rulez:\n");
        assertThat(Promtool.run(broken.getParent(), "check", "rules", fileName(broken))
                        .succeeded())
                .isFalse();
    }

    @Test
    void aTestWhoseExpectationIsWrongFails() throws Exception {
        // The copied tests read ../otlp-governor-alerts.yaml, as the real ones do.
        copyWith(MonitoringFiles.ALERTS, "wrong-expectation/otlp-governor-alerts.yaml", "groups:", "groups:");
        Path tests = copyWith(
                MonitoringFiles.ALERT_TESTS,
                "wrong-expectation/tests/alerts.test.yaml",
                "summary: \"Bridge target 10.0.0.7:9464 is down\"",
                "summary: \"Bridge target 10.0.0.8:9464 is down\"");
        Promtool.Result result = Promtool.run(tests.getParent(), "test", "rules", fileName(tests));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.output()).contains("FAILED").contains("OtlpBridgeDown");
    }

    @Test
    void anAlertWithoutBothTestCasesIsReported() throws IOException {
        Path tests = MonitoringFiles.SCRATCH.resolve("coverage/alerts.test.yaml");
        Files.createDirectories(tests.getParent());
        Files.writeString(tests, """
                tests:
                  - input_series: []
                    alert_rule_test:
                      - {eval_time: 5m, alertname: OtlpBridgeDown, exp_alerts: [{exp_labels: {severity: critical}}]}
                      - {eval_time: 5m, alertname: OtlpBridgeDwon, exp_alerts: []}
                """);
        assertThat(AlertTestCoverage.load(tests).problems(List.of("OtlpBridgeDown", "OtlpGovernorDeadLetters")))
                .containsExactly(
                        "OtlpBridgeDown: no test case where it does not fire",
                        "OtlpGovernorDeadLetters: no test case where it fires",
                        "OtlpGovernorDeadLetters: no test case where it does not fire",
                        "OtlpBridgeDwon: tested, but not in the rule file");
    }

    private static List<String> alertNames() throws IOException {
        return AlertRuleFile.load(MonitoringFiles.ALERTS).alerts().stream()
                .map(AlertRuleFile.Rule::alert)
                .toList();
    }

    /** A copy of {@code source} under the scratch directory with {@code from} replaced by {@code to} (which must occur). */
    private static Path copyWith(Path source, String target, String from, String to) throws IOException {
        String text = Files.readString(source);
        assertThat(text).as("text to replace in %s", source).contains(from);
        Path copy = MonitoringFiles.SCRATCH.resolve(target);
        Files.createDirectories(copy.getParent());
        Files.writeString(copy, text.replace(from, to));
        return copy;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes. */
    private static Set<String> anchors(String markdown) {
        Matcher heading = HEADING.matcher(markdown);
        return heading.results()
                .map(match -> match.group(1)
                        .trim()
                        .toLowerCase()
                        .replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }
}
