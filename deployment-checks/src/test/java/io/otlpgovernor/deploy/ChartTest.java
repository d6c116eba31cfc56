package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Helm chart: lint, and every rendered resource valid, with the default and the production values. */
class ChartTest {

    private static DeploymentCheck check;
    private static DeploymentCheck.Rendering production;

    @BeforeAll
    static void render() throws IOException {
        check = Repository.check();
        production = check.checkChart(
                List.of(check.productionValues()),
                DeploymentCheck.ruleFiles(Repository.ROOT.resolve("governance-rules/rules")));
    }

    @Test
    void lintsCleanInStrictMode() {
        assertThat(check.chart().lint()).isEmpty();
    }

    @Test
    void rendersValidResourcesWithTheDefaultValues() {
        DeploymentCheck.Rendering rendering = check.checkChart(List.of(), Map.of());

        assertThat(rendering.problems()).isEmpty();
        assertThat(kinds(rendering))
                .contains(
                        "ConfigMap",
                        "Deployment",
                        "FlinkDeployment",
                        "HorizontalPodAutoscaler",
                        "NetworkPolicy",
                        "PodDisruptionBudget",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "ServiceAccount");
        assertThat(kinds(rendering)).doesNotContain("Secret", "KafkaTopic", "Ingress");
    }

    @Test
    void rendersValidResourcesWithTheProductionValues() {
        assertThat(production.problems()).isEmpty();
        assertThat(kinds(production))
                .contains("Ingress", "KafkaTopic", "ServiceMonitor", "PodMonitor", "PrometheusRule")
                .doesNotContain("Secret");
    }

    @Test
    void rendersAValidWhatIfReplayWhenAskedTo() throws IOException {
        DeploymentCheck.Rendering rendering = check.checkChart(
                List.of(check.productionValues()),
                Map.of("replay.enabled", "true", "replay.from", "-6h", "replay.tenant", "acme"),
                DeploymentCheck.ruleFiles(Repository.ROOT.resolve("governance-rules/rules")));

        assertThat(rendering.problems()).isEmpty();
        assertThat(rendering.manifests())
                .filteredOn(m -> m.kind().equals("FlinkDeployment") && m.name().endsWith("-replay"))
                .singleElement()
                .satisfies(replay -> {
                    assertThat(replay.body().at("/spec/job/entryClass").asText())
                            .isEqualTo("io.otlpgovernor.job.replay.ReplayApplication");
                    assertThat(replay.body()
                                    .at("/spec/flinkConfiguration/execution.runtime-mode")
                                    .asText())
                            .isEqualTo("BATCH");
                    assertThat(replay.body().at("/spec/job/args").toString()).contains("\"-6h\"", "\"acme\"");
                });
        assertThat(production.manifests()).noneMatch(m -> m.name().endsWith("-replay"));
    }

    @Test
    void putsTheRuleFilesIntoTheRuleConfigMaps() {
        JsonNode tenants = resource("ConfigMap", "otlp-governor-rules-tenants").path("data");
        JsonNode presets = resource("ConfigMap", "otlp-governor-rules-presets").path("data");

        assertThat(tenants.has("acme.yaml")).isTrue();
        assertThat(tenants.has("globex.yaml")).isTrue();
        assertThat(presets.has("gdpr.yaml")).isTrue();
    }

    @Test
    void takesAlertsAndDashboardFromTheChartFiles() throws IOException {
        JsonNode rule = resource("PrometheusRule", "otlp-governor");
        JsonNode alerts = Manifest.YAML.readTree(Repository.ROOT
                .resolve("helm/otlp-governor/files/alerts/otlp-governor-alerts.yaml")
                .toFile());
        JsonNode dashboard = resource("ConfigMap", "otlp-governor-dashboard");

        assertThat(rule.path("spec")).isEqualTo(alerts);
        assertThat(dashboard
                        .path("metadata")
                        .path("labels")
                        .path("grafana_dashboard")
                        .asText())
                .isEqualTo("1");
        assertThat(Manifest.JSON.readTree(
                        dashboard.path("data").path("otlp-governor.json").asText()))
                .isEqualTo(Manifest.JSON.readTree(Files.readString(
                        Repository.ROOT.resolve("helm/otlp-governor/files/dashboards/otlp-governor.json"))));
    }

    @Test
    void rendersTheSameFlinkDeploymentAsTheFlinkDeploymentDirectory() {
        JsonNode rendered = resource("FlinkDeployment", "otlp-governor-job").path("spec");
        JsonNode plain = Manifest.read(
                        Repository.ROOT.resolve("flink-deployment/flinkdeployment.yaml"), "flinkdeployment.yaml")
                .get(0)
                .body()
                .path("spec");

        assertThat(keys(rendered.path("flinkConfiguration"))).isEqualTo(keys(plain.path("flinkConfiguration")));
        assertThat(rendered.path("flinkVersion")).isEqualTo(plain.path("flinkVersion"));
        assertThat(rendered.path("job").path("jarURI"))
                .isEqualTo(plain.path("job").path("jarURI"));
        assertThat(rendered.path("job").path("args"))
                .isEqualTo(plain.path("job").path("args"));
        assertThat(rendered.path("job").path("entryClass"))
                .isEqualTo(plain.path("job").path("entryClass"));
        assertThat(mountPaths(rendered)).isEqualTo(mountPaths(plain));
        assertThat(rendered.path("podTemplate").path("spec").path("securityContext"))
                .isEqualTo(plain.path("podTemplate").path("spec").path("securityContext"));
    }

    private static JsonNode resource(String kind, String name) {
        return production.manifests().stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"))
                .body();
    }

    private static TreeSet<String> kinds(DeploymentCheck.Rendering rendering) {
        TreeSet<String> kinds = new TreeSet<>();
        rendering.manifests().forEach(m -> kinds.add(m.kind()));
        return kinds;
    }

    private static TreeSet<String> keys(JsonNode node) {
        TreeSet<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static TreeSet<String> mountPaths(JsonNode spec) {
        TreeSet<String> paths = new TreeSet<>();
        spec.path("podTemplate")
                .path("spec")
                .path("containers")
                .get(0)
                .path("volumeMounts")
                .forEach(mount -> paths.add(mount.path("mountPath").asText()));
        return paths;
    }
}
