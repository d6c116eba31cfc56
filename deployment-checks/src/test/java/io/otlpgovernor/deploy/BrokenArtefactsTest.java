package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every check fails on a broken artefact, and says what is wrong and where. */
class BrokenArtefactsTest {

    private final DeploymentCheck check = Repository.check();

    @Test
    void aValuesFileWithAMisspelledKeyFailsTheSchema() throws IOException {
        Path values = write("typo-values.yaml", "bridge:\n  replica: 5\n");

        List<Problem> problems = check.checkChart(List.of(values), Map.of()).problems();

        assertThat(problems).singleElement().asString().contains("replica").contains("values");
    }

    @Test
    void aValuesFileWithAWrongTypeFailsTheSchema() throws IOException {
        Path values = write("type-values.yaml", "job:\n  parallelism: four\n");

        assertThat(check.checkChart(List.of(values), Map.of()).problems())
                .singleElement()
                .asString()
                .contains("parallelism");
    }

    @Test
    void aValuesFileWithoutTheApiKeysSecretFails() throws IOException {
        Path values = write("no-keys-values.yaml", "bridge:\n  apiKeys:\n    existingSecret: \"\"\n");

        assertThat(check.checkChart(List.of(values), Map.of()).problems())
                .singleElement()
                .asString()
                .contains("existingSecret");
    }

    @Test
    void aValuesFileWithAnUpgradeModeThatLosesStateFails() throws IOException {
        Path values = write("stateless-values.yaml", "job:\n  upgradeMode: stateless\n");

        assertThat(check.checkChart(List.of(values), Map.of()).problems())
                .singleElement()
                .asString()
                .contains("upgradeMode");
    }

    @Test
    void aCoreResourceWithAnUnknownFieldFails() {
        Manifest deployment = bridgeDeployment();
        ((ObjectNode) deployment
                        .body()
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0))
                .put("imagePullPolicyy", "Always");

        assertThat(CoreModels.validate(deployment))
                .singleElement()
                .asString()
                .contains("Deployment/otlp-governor-bridge")
                .contains("imagePullPolicyy")
                .contains("V1Container");
    }

    @Test
    void aCoreResourceWithoutARequiredFieldFails() {
        Manifest deployment = bridgeDeployment();
        ((ObjectNode) deployment
                        .body()
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("containers")
                        .get(0))
                .remove("name");

        assertThat(CoreModels.validate(deployment))
                .singleElement()
                .asString()
                .contains("name")
                .contains("required");
    }

    @Test
    void aCoreResourceWithAWrongTypeFails() {
        Manifest deployment = bridgeDeployment();
        ((ObjectNode) deployment.body().path("spec")).put("replicas", "three");

        assertThat(CoreModels.validate(deployment)).isNotEmpty();
    }

    @Test
    void aKindWithoutAModelFails() {
        Manifest cronJob = Manifest.parse("apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: x\n", "x.yaml")
                .get(0);

        assertThat(check.validate(List.of(cronJob)))
                .singleElement()
                .asString()
                .contains("x.yaml CronJob/x")
                .contains("no model");
    }

    @Test
    void aFlinkDeploymentWithABadUpgradeModeFailsTheCrdSchema() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec").path("job")).put("upgradeMode", "rolling");

        assertThat(JsonSchemas.validate(flink))
                .singleElement()
                .asString()
                .contains("flinkdeployment.yaml FlinkDeployment/otlp-governor")
                .contains("upgradeMode");
    }

    @Test
    void aFlinkDeploymentWithAnUnknownFieldFailsTheCrdSchema() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec").path("taskManager")).put("replica", 3);

        assertThat(JsonSchemas.validate(flink)).singleElement().asString().contains("replica");
    }

    @Test
    void aFlinkDeploymentWithAnUnknownFieldInItsPodTemplateFails() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec").path("podTemplate").path("spec").path("securityContext"))
                .put("runAsNonRooot", true);

        assertThat(JsonSchemas.validate(flink))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.message()).contains("runAsNonRooot"));
    }

    @Test
    void aFlinkVersionTheOperatorDoesNotKnowFails() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec")).put("flinkVersion", "v2_9");

        assertThat(JsonSchemas.validate(flink)).singleElement().asString().contains("flinkVersion");
    }

    @Test
    void aStatelessUpgradeModeIsRefusedByTheProjectRules() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec").path("job")).put("upgradeMode", "stateless");

        assertThat(JsonSchemas.validate(flink)).isEmpty();
        assertThat(rules(flink))
                .anySatisfy(p ->
                        assertThat(p.message()).startsWith("spec.job.upgradeMode: must be savepoint or last-state"));
    }

    @Test
    void anInlinedSecretIsRefused() {
        Manifest flink = flinkDeployment();
        ((ObjectNode) flink.body().path("spec").path("flinkConfiguration")).put("s3.secret-key", "not-a-real-key");
        ArrayNode env = (ArrayNode) flink.body()
                .path("spec")
                .path("podTemplate")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env");
        env.addObject().put("name", "AWS_SECRET_ACCESS_KEY").put("value", "not-a-real-key");

        assertThat(rules(flink))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).startsWith("spec.flinkConfiguration.s3.secret-key"))
                .anySatisfy(m ->
                        assertThat(m).contains("env[AWS_SECRET_ACCESS_KEY]").contains("secretKeyRef"));
    }

    @Test
    void aWritableRootFileSystemWithoutHardeningIsRefused() {
        Manifest flink = flinkDeployment();
        ObjectNode security = (ObjectNode) flink.body()
                .path("spec")
                .path("podTemplate")
                .path("spec")
                .path("containers")
                .get(0)
                .path("securityContext");
        security.remove("capabilities");
        security.put("allowPrivilegeEscalation", true);

        assertThat(rules(flink))
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("capabilities.drop: must contain ALL"))
                .anySatisfy(m -> assertThat(m).contains("allowPrivilegeEscalation: must be false"));
    }

    @Test
    void jobSettingsThatDisagreeWithTheFlinkDeploymentAreRefused() {
        List<Manifest> all = directory();
        Manifest config = all.stream()
                .filter(m -> m.kind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow();
        ObjectNode data = (ObjectNode) config.body().path("data");
        data.put(
                "job.yaml",
                data.path("job.yaml")
                        .asText()
                        .replace("directory: s3://otlp-governor/checkpoints", "directory: s3://elsewhere/cp"));

        assertThat(check.validate(all))
                .singleElement()
                .asString()
                .contains("ConfigMap/otlp-governor-job data.job.yaml")
                .contains("checkpoints.directory")
                .contains("s3://elsewhere/cp");
    }

    @Test
    void jobSettingsTheJobRefusesAreRefused() {
        List<Manifest> all = directory();
        Manifest config = all.stream()
                .filter(m -> m.kind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow();
        ObjectNode data = (ObjectNode) config.body().path("data");
        data.put("job.yaml", data.path("job.yaml").asText().replace("strategy: exponential-delay", "strategy: always"));

        assertThat(check.validate(all))
                .singleElement()
                .asString()
                .contains("the job refuses it")
                .contains("restart.strategy");
    }

    @Test
    void kafkaTopicsThatDisagreeWithTopicLayoutFail() {
        List<Manifest> topics = new ArrayList<>(
                Manifest.read(Repository.ROOT.resolve("flink-deployment/kafka-topics.yaml"), "kafka-topics.yaml"));
        Manifest standard = topics.stream()
                .filter(m -> m.name().equals("governed-spans-standard"))
                .findFirst()
                .orElseThrow();
        ((ObjectNode) standard.body().path("spec").path("config")).put("retention.ms", "604800000");
        topics.removeIf(m -> m.name().equals("governor-audit"));

        assertThat(TopicContract.check(topics, "kafka-topics.yaml"))
                .extracting(Problem::toString)
                .containsExactlyInAnyOrder(
                        "kafka-topics.yaml KafkaTopic/governed-spans-standard: spec.config.retention.ms: is 604800000, TopicLayout says 2592000000",
                        "kafka-topics.yaml: no KafkaTopic for governor_audit (TopicLayout has it)");
    }

    @Test
    void aKafkaTopicWithAnUnknownConfigKeyFailsItsSchema() {
        Manifest topic = Manifest.read(
                        Repository.ROOT.resolve("flink-deployment/kafka-topics.yaml"), "kafka-topics.yaml")
                .get(0);
        ((ObjectNode) topic.body().path("spec").path("config")).put("retention.msx", "1");

        assertThat(JsonSchemas.validate(topic)).singleElement().asString().contains("retention.msx");
    }

    @Test
    void monitoringResourcesWithUnknownFieldsFail() {
        Manifest serviceMonitor = Manifest.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec:
                  selector: {matchLabels: {a: b}}
                  endpoints: [{port: metrics, intervall: 30s}]
                """, "m.yaml").get(0);
        Manifest rule = Manifest.parse("""
                apiVersion: monitoring.coreos.com/v1
                kind: PrometheusRule
                metadata: {name: r}
                spec:
                  groups: [{name: g, rules: [{alert: A, expr: up == 0, for: 5 minutes}]}]
                """, "r.yaml").get(0);

        assertThat(JsonSchemas.validate(serviceMonitor))
                .singleElement()
                .asString()
                .contains("intervall");
        assertThat(JsonSchemas.validate(rule))
                .isNotEmpty()
                .anySatisfy(p -> assertThat(p.message()).contains("for"));
    }

    @Test
    void aRenderedSecretIsRefused() {
        Manifest secret = Manifest.parse(
                        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  key: value\n", "s.yaml")
                .get(0);

        assertThat(check.validate(List.of(secret))).singleElement().asString().contains("a Secret is rendered");
    }

    @Test
    void aDockerfileWithFindingsFailsTheLint() throws IOException, InterruptedException {
        Repository.installDockerfilelint();
        Path dockerfile = write("bad.Dockerfile", "FROM ubuntu\nRUN apt-get install curl\nEXPOSE 80000\n");

        List<Problem> problems =
                new DockerfileLint(Repository.ROOT.resolve("deployment-checks/src/test/node")).lint(dockerfile);

        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.where()).startsWith(dockerfile + ":"));
        assertThat(problems)
                .extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("Base Image Missing Tag"));
    }

    private List<Problem> rules(Manifest flink) {
        List<Manifest> all = directory();
        all.replaceAll(m -> m.kind().equals("FlinkDeployment") ? flink : m);
        return new ResourceRules(all, Repository.TEMP).check(flink);
    }

    private static List<Manifest> directory() {
        List<Manifest> all = new ArrayList<>();
        for (String file : List.of("flinkdeployment.yaml", "job-config.yaml", "rbac.yaml")) {
            all.addAll(Manifest.read(Repository.ROOT.resolve("flink-deployment").resolve(file), file));
        }
        return all;
    }

    private static Manifest flinkDeployment() {
        return Manifest.read(Repository.ROOT.resolve("flink-deployment/flinkdeployment.yaml"), "flinkdeployment.yaml")
                .get(0);
    }

    private Manifest bridgeDeployment() {
        return check.checkChart(List.of(), Map.of()).manifests().stream()
                .filter(m -> m.kind().equals("Deployment"))
                .findFirst()
                .orElseThrow();
    }

    private static Path write(String name, String text) throws IOException {
        Files.createDirectories(Repository.TEMP);
        return Files.writeString(Repository.TEMP.resolve(name), text);
    }
}
