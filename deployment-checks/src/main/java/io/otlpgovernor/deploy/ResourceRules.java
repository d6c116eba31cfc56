package io.otlpgovernor.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.models.V1Pod;
import io.otlpgovernor.bridge.BridgeConfig;
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.job.config.JobSettings;

/**
 * What this project requires of its resources beyond their schemas: the FlinkDeployment's state, HA, upgrade and
 * metrics settings, hardened pods, secrets only by reference, the job's and bridge's settings files loading as the
 * programs load them, and agreeing with the FlinkDeployment.
 */
public final class ResourceRules {

    private static final Pattern SECRET_NAME =
            Pattern.compile("(?i).*(password|secret|access[-_.]?key|token|jaas|credential).*");
    private static final Set<String> UPGRADE_MODES = Set.of("savepoint", "last-state");
    private static final String REPLAY_APPLICATION = "io.otlpgovernor.job.replay.ReplayApplication";

    private final Map<String, Manifest> configMaps = new HashMap<>();
    private final Path tempDir;

    /**
     * @param all     every resource of the set being checked (ConfigMaps are looked up among them)
     * @param tempDir where settings files are written to be loaded
     */
    public ResourceRules(List<Manifest> all, Path tempDir) {
        for (Manifest manifest : all) {
            if (manifest.kind().equals("ConfigMap")) {
                configMaps.put(manifest.name(), manifest);
            }
        }
        this.tempDir = tempDir;
    }

    public List<Problem> check(Manifest manifest) {
        List<Problem> problems = new ArrayList<>();
        switch (manifest.kind()) {
            case "FlinkDeployment" -> flinkDeployment(manifest, problems);
            case "Deployment" -> deployment(manifest, problems);
            case "Secret" ->
                problems.add(
                        new Problem(
                                manifest.where(),
                                "a Secret is rendered: secrets are never part of the deployment, reference an existing Secret by name"));
            default -> {}
        }
        return problems;
    }

    private void flinkDeployment(Manifest manifest, List<Problem> problems) {
        String where = manifest.where();
        JsonNode spec = manifest.body().path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        JsonNode job = spec.path("job");
        expect(problems, where, "spec.flinkVersion", spec.path("flinkVersion").asText(), "v2_2");
        if (!job.path("jarURI").asText().startsWith("local:///opt/flink/usrlib/")) {
            problems.add(new Problem(
                    where,
                    "spec.job.jarURI: must be local:///opt/flink/usrlib/… (the jar in the image), is "
                            + job.path("jarURI").asText("not set")));
        }
        boolean replay = job.path("entryClass").asText().equals(REPLAY_APPLICATION);
        if (replay) {
            replay(problems, where, job, conf);
        } else {
            streamingJob(problems, where, job, conf);
        }
        expect(
                problems,
                where,
                "spec.flinkConfiguration.pipeline.max-parallelism",
                conf.path("pipeline.max-parallelism").asText(),
                "128");
        expect(
                problems,
                where,
                "spec.flinkConfiguration.metrics.reporter.prom.port",
                conf.path("metrics.reporter.prom.port").asText(),
                "9249");
        expect(
                problems,
                where,
                "spec.flinkConfiguration.metrics.reporter.prom.factory.class",
                conf.path("metrics.reporter.prom.factory.class").asText(),
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        if (conf.path("restart-strategy.type").asText("").isBlank()) {
            problems.add(new Problem(where, "spec.flinkConfiguration.restart-strategy.type: must be set"));
        }
        conf.fieldNames().forEachRemaining(key -> {
            if (SECRET_NAME.matcher(key).matches()) {
                problems.add(new Problem(
                        where,
                        "spec.flinkConfiguration." + key + ": looks like a secret inlined in the"
                                + " configuration; give it through a Secret (environment variable or mounted file)"));
            }
        });
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode resource = spec.path(role).path("resource");
            if (!resource.has("cpu") || !resource.has("memory")) {
                problems.add(new Problem(where, "spec." + role + ".resource: cpu and memory must be set"));
            }
        }
        JsonNode template = spec.path("podTemplate");
        if (template.isMissingNode()) {
            problems.add(new Problem(where, "spec.podTemplate: must be set (security context, volumes, metrics port)"));
            return;
        }
        CoreModels.read(V1Pod.class, template.toString())
                .ifPresent(message -> problems.add(new Problem(where, "spec.podTemplate: " + message)));
        for (String role : List.of("jobManager", "taskManager")) {
            JsonNode roleTemplate = spec.path(role).path("podTemplate");
            if (!roleTemplate.isMissingNode()) {
                CoreModels.read(V1Pod.class, roleTemplate.toString())
                        .ifPresent(message ->
                                problems.add(new Problem(where, "spec." + role + ".podTemplate: " + message)));
            }
        }
        JsonNode podSpec = template.path("spec");
        Optional<JsonNode> main = find(podSpec.path("containers"), "name", "flink-main-container");
        if (main.isEmpty()) {
            problems.add(
                    new Problem(where, "spec.podTemplate.spec.containers: needs the container flink-main-container"));
            return;
        }
        hardened(problems, where, "spec.podTemplate.spec", podSpec, main.get(), "flink-main-container");
        if (find(main.get().path("ports"), "containerPort", "9249").isEmpty()) {
            problems.add(new Problem(
                    where,
                    "spec.podTemplate.spec.containers[flink-main-container].ports: must declare 9249 (metrics)"));
        }
        Map<String, JsonNode> mounts = mounts(podSpec, main.get());
        if (main.get().path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
            List<String> writable = replay
                    ? List.of("/tmp", "/opt/flink/log")
                    : List.of(
                            "/tmp",
                            conf.path("state.backend.rocksdb.localdir").asText("/opt/flink/rocksdb"),
                            "/opt/flink/log");
            for (String path : writable) {
                JsonNode volume = mounts.get(path);
                if (volume == null || !volume.has("emptyDir")) {
                    problems.add(new Problem(
                            where,
                            "spec.podTemplate: with a read-only root file system " + path
                                    + " must be a writable emptyDir volume"));
                }
            }
        }
        if (!replay) {
            jobSettings(problems, where, spec, conf, mounts);
        }
    }

    /** The governance job: state in RocksDB with incremental checkpoints, HA, and upgrades that keep state. */
    private static void streamingJob(List<Problem> problems, String where, JsonNode job, JsonNode conf) {
        expect(
                problems,
                where,
                "spec.job.entryClass",
                job.path("entryClass").asText(),
                "io.otlpgovernor.job.GovernorJob");
        if (!UPGRADE_MODES.contains(job.path("upgradeMode").asText())) {
            problems.add(new Problem(
                    where,
                    "spec.job.upgradeMode: must be savepoint or last-state (state must survive upgrades), is "
                            + job.path("upgradeMode").asText("not set")));
        }
        expect(
                problems,
                where,
                "spec.flinkConfiguration.state.backend.type",
                conf.path("state.backend.type").asText(),
                "rocksdb");
        expect(
                problems,
                where,
                "spec.flinkConfiguration.execution.checkpointing.incremental",
                conf.path("execution.checkpointing.incremental").asText(),
                "true");
        expect(
                problems,
                where,
                "spec.flinkConfiguration.high-availability.type",
                conf.path("high-availability.type").asText(),
                "kubernetes");
        for (String key : List.of(
                "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir",
                "kubernetes.operator.periodic.savepoint.interval",
                "state.backend.rocksdb.localdir")) {
            if (conf.path(key).asText("").isBlank()) {
                problems.add(new Problem(where, "spec.flinkConfiguration." + key + ": must be set"));
            }
        }
    }

    /** What-if replay: a bounded BATCH job without state to keep, given the job's settings and two rule directories. */
    private static void replay(List<Problem> problems, String where, JsonNode job, JsonNode conf) {
        expect(
                problems,
                where,
                "spec.flinkConfiguration.execution.runtime-mode",
                conf.path("execution.runtime-mode").asText(),
                "BATCH");
        expect(problems, where, "spec.job.upgradeMode", job.path("upgradeMode").asText(), "stateless");
        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));
        for (String option : List.of("--settings", "--baseline", "--candidate", "--from")) {
            int at = args.indexOf(option);
            if (at < 0 || at + 1 >= args.size() || args.get(at + 1).startsWith("--")) {
                problems.add(new Problem(where, "spec.job.args: must give " + option + " and its value"));
            }
        }
    }

    /** The job's settings file: found through spec.job.args, loads as the job loads it, agrees with the cluster. */
    private void jobSettings(
            List<Problem> problems, String where, JsonNode spec, JsonNode conf, Map<String, JsonNode> mounts) {
        JsonNode args = spec.path("job").path("args");
        if (args.size() != 1) {
            problems.add(new Problem(where, "spec.job.args: must be the one path of the job's settings file"));
            return;
        }
        Path file = Path.of(args.get(0).asText());
        JsonNode volume = mounts.get(String.valueOf(file.getParent()));
        if (volume == null || !volume.has("configMap")) {
            problems.add(new Problem(where, "spec.job.args: " + file + " is not in a mounted ConfigMap"));
            return;
        }
        String configMapName = volume.path("configMap").path("name").asText();
        Manifest configMap = configMaps.get(configMapName);
        if (configMap == null) {
            problems.add(new Problem(
                    where,
                    "spec.job.args: ConfigMap " + configMapName + " (with " + file.getFileName()
                            + ") is not among the resources"));
            return;
        }
        JsonNode text = configMap.body().path("data").path(file.getFileName().toString());
        if (!text.isTextual()) {
            problems.add(new Problem(configMap.where(), "data: has no key " + file.getFileName()));
            return;
        }
        JobSettings settings;
        try {
            settings = JobSettings.load(write("job", text.asText()));
        } catch (ConfigException | IllegalArgumentException e) {
            problems.add(new Problem(
                    configMap.where(),
                    "data." + file.getFileName() + ": the job refuses it: "
                            + e.getMessage().replace(tempDir.toString() + "/", "")));
            return;
        }
        String where2 = configMap.where() + " data." + file.getFileName();
        expect(
                problems,
                where2,
                "checkpoints.directory (= FlinkDeployment execution.checkpointing.dir)",
                settings.checkpoints().directory(),
                conf.path("execution.checkpointing.dir").asText());
        expect(
                problems,
                where2,
                "parallelism (= FlinkDeployment spec.job.parallelism)",
                String.valueOf(settings.parallelism()),
                spec.path("job").path("parallelism").asText());
        expect(
                problems,
                where2,
                "max-parallelism (= FlinkDeployment pipeline.max-parallelism)",
                String.valueOf(settings.maxParallelism()),
                conf.path("pipeline.max-parallelism").asText());
        for (String folder : List.of("presets", "tenants")) {
            JsonNode rules = mounts.get(settings.rules().directory() + "/" + folder);
            if (rules == null || !rules.has("configMap")) {
                problems.add(new Problem(
                        where2,
                        "rules.directory: " + settings.rules().directory() + "/" + folder
                                + " is not a mounted ConfigMap"));
            }
        }
        if (settings.rules().hmacKeys() != null) {
            JsonNode keys = mounts.get(
                    String.valueOf(Path.of(settings.rules().hmacKeys()).getParent()));
            if (keys == null || !keys.has("secret")) {
                problems.add(new Problem(
                        where2, "rules.hmac-keys: " + settings.rules().hmacKeys() + " is not in a mounted Secret"));
            }
        }
    }

    private void deployment(Manifest manifest, List<Problem> problems) {
        String where = manifest.where();
        JsonNode podSpec = manifest.body().path("spec").path("template").path("spec");
        for (JsonNode container : podSpec.path("containers")) {
            String name = container.path("name").asText();
            hardened(problems, where, "spec.template.spec", podSpec, container, name);
            for (String probe : List.of("livenessProbe", "readinessProbe")) {
                if (!container.path(probe).has("httpGet")) {
                    problems.add(new Problem(
                            where, "spec.template.spec.containers[" + name + "]." + probe + ": must be an HTTP probe"));
                }
            }
            if (container.path("resources").path("limits").path("memory").isMissingNode()) {
                problems.add(new Problem(
                        where, "spec.template.spec.containers[" + name + "].resources.limits.memory: must be set"));
            }
            Map<String, JsonNode> mounts = mounts(podSpec, container);
            JsonNode args = container.path("args");
            if (args.size() == 1 && args.get(0).asText().endsWith("bridge.yaml")) {
                bridgeSettings(problems, where, Path.of(args.get(0).asText()), mounts);
            }
        }
    }

    private void bridgeSettings(List<Problem> problems, String where, Path file, Map<String, JsonNode> mounts) {
        JsonNode volume = mounts.get(String.valueOf(file.getParent()));
        Manifest configMap = volume == null
                ? null
                : configMaps.get(volume.path("configMap").path("name").asText());
        if (configMap == null) {
            problems.add(new Problem(where, "args: " + file + " is not in a mounted ConfigMap among the resources"));
            return;
        }
        JsonNode text = configMap.body().path("data").path(file.getFileName().toString());
        try {
            BridgeConfig config = BridgeConfig.load(write("bridge", text.asText()));
            JsonNode keys = mounts.get(String.valueOf(config.keysFile().getParent()));
            if (keys == null || !keys.has("secret")) {
                problems.add(new Problem(
                        configMap.where(),
                        "data.bridge.yaml keys-file: " + config.keysFile() + " is not in a mounted Secret"));
            }
        } catch (ConfigException | IllegalArgumentException e) {
            problems.add(new Problem(
                    configMap.where(),
                    "data." + file.getFileName() + ": the bridge refuses it: "
                            + e.getMessage().replace(tempDir.toString() + "/", "")));
        }
    }

    /** Non-root, seccomp RuntimeDefault, no privilege escalation, all capabilities dropped, secrets by reference. */
    private static void hardened(
            List<Problem> problems, String where, String at, JsonNode podSpec, JsonNode container, String name) {
        JsonNode pod = podSpec.path("securityContext");
        JsonNode own = container.path("securityContext");
        String c = at + ".containers[" + name + "].securityContext";
        if (!pod.path("runAsNonRoot").asBoolean(false)
                && !own.path("runAsNonRoot").asBoolean(false)) {
            problems.add(new Problem(where, at + ".securityContext.runAsNonRoot: must be true"));
        }
        if (!"RuntimeDefault"
                .equals(pod.path("seccompProfile")
                        .path("type")
                        .asText(own.path("seccompProfile").path("type").asText()))) {
            problems.add(new Problem(where, at + ".securityContext.seccompProfile.type: must be RuntimeDefault"));
        }
        if (own.path("allowPrivilegeEscalation").asBoolean(true)) {
            problems.add(new Problem(where, c + ".allowPrivilegeEscalation: must be false"));
        }
        boolean dropsAll = false;
        for (JsonNode drop : own.path("capabilities").path("drop")) {
            dropsAll |= drop.asText().equals("ALL");
        }
        if (!dropsAll) {
            problems.add(new Problem(where, c + ".capabilities.drop: must contain ALL"));
        }
        if (own.path("capabilities").has("add")) {
            problems.add(new Problem(where, c + ".capabilities.add: no capability may be added"));
        }
        for (JsonNode env : container.path("env")) {
            if (env.has("value")
                    && SECRET_NAME.matcher(env.path("name").asText()).matches()) {
                problems.add(new Problem(
                        where,
                        at + ".containers[" + name + "].env[" + env.path("name").asText()
                                + "]: a secret inlined as a value; use valueFrom.secretKeyRef"));
            }
        }
    }

    /** mountPath → volume of a container. */
    private static Map<String, JsonNode> mounts(JsonNode podSpec, JsonNode container) {
        Map<String, JsonNode> volumes = new HashMap<>();
        for (JsonNode volume : podSpec.path("volumes")) {
            volumes.put(volume.path("name").asText(), volume);
        }
        Map<String, JsonNode> mounts = new HashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = volumes.get(mount.path("name").asText());
            if (volume != null) {
                mounts.put(mount.path("mountPath").asText().replaceAll("/+$", ""), volume);
            }
        }
        return mounts;
    }

    private static Optional<JsonNode> find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.path(field).asText().equals(value)) {
                return Optional.of(element);
            }
        }
        return Optional.empty();
    }

    private static void expect(List<Problem> problems, String where, String field, String actual, String expected) {
        if (!expected.equals(actual)) {
            problems.add(new Problem(
                    where,
                    field + ": must be " + expected + ", is "
                            + (actual == null || actual.isEmpty() ? "not set" : actual)));
        }
    }

    private Path write(String prefix, String text) {
        try {
            Files.createDirectories(tempDir);
            Path file = Files.createTempFile(tempDir, prefix, ".yaml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
