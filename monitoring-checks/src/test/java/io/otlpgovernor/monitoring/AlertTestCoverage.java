package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.Yaml;

/**
 * Which alerts a promtool test file exercises both ways: expected to fire ({@code exp_alerts} not empty) and
 * expected not to fire ({@code exp_alerts: []}). promtool itself passes a test of an alert that does not exist
 * when nothing is expected, so an alert without both cases is untested.
 */
final class AlertTestCoverage {

    private final Set<String> firing = new HashSet<>();
    private final Set<String> silent = new HashSet<>();

    @SuppressWarnings("unchecked")
    static AlertTestCoverage load(Path testFile) throws IOException {
        Map<String, Object> root;
        try (Reader reader = Files.newBufferedReader(testFile)) {
            root = new Yaml().load(reader);
        }
        AlertTestCoverage coverage = new AlertTestCoverage();
        for (Map<String, Object> test : (List<Map<String, Object>>) root.get("tests")) {
            for (Map<String, Object> alertTest :
                    (List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of())) {
                List<Object> expected = (List<Object>) alertTest.get("exp_alerts");
                String alert = (String) alertTest.get("alertname");
                (expected == null || expected.isEmpty() ? coverage.silent : coverage.firing).add(alert);
            }
        }
        return coverage;
    }

    /** What is missing for {@code alerts}, one line each; and test cases of alerts that are not in the rule file. */
    List<String> problems(List<String> alerts) {
        List<String> problems = new ArrayList<>();
        for (String alert : alerts) {
            if (!firing.contains(alert)) {
                problems.add(alert + ": no test case where it fires");
            }
            if (!silent.contains(alert)) {
                problems.add(alert + ": no test case where it does not fire");
            }
        }
        Set<String> unknown = new HashSet<>(firing);
        unknown.addAll(silent);
        alerts.forEach(unknown::remove);
        unknown.stream().sorted().forEach(alert -> problems.add(alert + ": tested, but not in the rule file"));
        return problems;
    }
}
