package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every offline check of the deployment artefacts, for the tests and for {@code deploy/deploy.sh --dry-run}:
 *
 * <ul>
 *   <li>the Helm chart: {@code helm lint --strict}; rendered with given values; every rendered resource validated —
 *       core kinds with the Kubernetes client's strict models, the FlinkDeployment against the operator's CRD schema,
 *       KafkaTopic / ServiceMonitor / PodMonitor / PrometheusRule against small strict schemas — and this project's
 *       rules ({@link ResourceRules}); a kind none of these knows is a problem;</li>
 *   <li>{@code flink-deployment/}: the same validation, and its KafkaTopics against {@code TopicLayout};</li>
 *   <li>{@code docker/*.Dockerfile}: dockerfilelint.</li>
 * </ul>
 * Usage: {@code DeploymentCheck [--values file]… [--rules dir] [--set path=value]… [--set-file path=file]… [--output rendered.yaml]}.
 * Prints every problem as {@code where: what} and exits 1 when there is one.
 */
public final class DeploymentCheck {

    private final Path root;
    private final Path tempDir;

    /**
     * @param root    the repository root
     * @param tempDir where settings files are written to be loaded
     */
    public DeploymentCheck(Path root, Path tempDir) {
        this.root = root;
        this.tempDir = tempDir;
    }

    public Chart chart() {
        return new Chart(root.resolve("helm/otlp-governor"));
    }

    public Path productionValues() {
        return root.resolve("helm/otlp-governor/ci/production-values.yaml");
    }

    /** Validates a set of resources (one directory, or one rendering of the chart). */
    public List<Problem> validate(List<Manifest> manifests) {
        List<Problem> problems = new ArrayList<>();
        ResourceRules rules = new ResourceRules(manifests, tempDir);
        for (Manifest manifest : manifests) {
            if (manifest.kind().isEmpty()
                    || manifest.apiVersion().isEmpty()
                    || manifest.name().isEmpty()) {
                problems.add(new Problem(manifest.where(), "apiVersion, kind and metadata.name must be set"));
                continue;
            }
            if (JsonSchemas.knows(manifest)) {
                problems.addAll(JsonSchemas.validate(manifest));
            } else {
                problems.addAll(CoreModels.validate(manifest));
            }
            problems.addAll(rules.check(manifest));
        }
        List<Manifest> topics =
                manifests.stream().filter(m -> m.kind().equals("KafkaTopic")).toList();
        if (!topics.isEmpty()) {
            problems.addAll(TopicContract.check(topics, topics.get(0).source()));
        }
        return problems;
    }

    /** flink-deployment/*.yaml. */
    public List<Problem> checkFlinkDeploymentDirectory() {
        Path directory = root.resolve("flink-deployment");
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                manifests.addAll(Manifest.read(file, root.relativize(file).toString()));
            }
        } catch (IOException e) {
            return List.of(new Problem(directory.toString(), "cannot read: " + e.getMessage()));
        }
        List<Problem> problems = new ArrayList<>(validate(manifests));
        if (manifests.stream().noneMatch(m -> m.kind().equals("FlinkDeployment"))) {
            problems.add(new Problem(root.relativize(directory).toString(), "no FlinkDeployment"));
        }
        return problems;
    }

    /** Renders the chart with the values files and rule files, and validates what comes out. */
    public Rendering checkChart(List<Path> valuesFiles, Map<String, Path> setFiles) {
        return checkChart(valuesFiles, Map.of(), setFiles);
    }

    /** As above, with {@code --set} values too. */
    public Rendering checkChart(List<Path> valuesFiles, Map<String, String> sets, Map<String, Path> setFiles) {
        String yaml;
        try {
            yaml = chart().template(valuesFiles, sets, setFiles);
        } catch (IllegalStateException e) {
            return new Rendering(
                    "", List.of(), List.of(new Problem(chart().directory().toString(), e.getMessage())));
        }
        List<Manifest> manifests;
        try {
            manifests = Manifest.parse(yaml, "helm/otlp-governor");
        } catch (IllegalArgumentException e) {
            return new Rendering(yaml, List.of(), List.of(new Problem("helm/otlp-governor", e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>(validate(manifests));
        for (String kind : List.of("Deployment", "Service", "FlinkDeployment")) {
            if (manifests.stream().noneMatch(m -> m.kind().equals(kind))) {
                problems.add(new Problem("helm/otlp-governor", "the chart renders no " + kind));
            }
        }
        return new Rendering(yaml, manifests, problems);
    }

    /** The rendered chart and its problems. */
    public record Rendering(String yaml, List<Manifest> manifests, List<Problem> problems) {}

    public List<Problem> lintDockerfiles() {
        DockerfileLint lint = new DockerfileLint(root.resolve("deployment-checks/src/test/node"));
        List<Problem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("docker"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".Dockerfile"))
                    .sorted()
                    .toList()) {
                problems.addAll(lint.lint(file));
            }
        } catch (IOException e) {
            problems.add(new Problem("docker", "cannot read: " + e.getMessage()));
        }
        return problems;
    }

    /** {@code --set-file} entries putting every rule file of {@code rulesDir} into the chart's rules.presets/tenants. */
    public static Map<String, Path> ruleFiles(Path rulesDir) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (String folder : List.of("presets", "tenants")) {
            Path dir = rulesDir.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file : list.filter(f -> f.toString().endsWith(".yaml"))
                        .sorted()
                        .toList()) {
                    files.put(
                            "rules." + folder + "."
                                    + file.getFileName().toString().replace(".", "\\."),
                            file);
                }
            }
        }
        return files;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("deploy.repository.root", "."))
                .toAbsolutePath()
                .normalize();
        List<Path> values = new ArrayList<>();
        Map<String, Path> setFiles = new LinkedHashMap<>();
        Map<String, String> sets = new LinkedHashMap<>();
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String next = i + 1 < args.length ? args[i + 1] : null;
            if (next == null && !arg.equals("--help")) {
                usage("missing value after " + arg);
            }
            switch (arg) {
                case "--values" -> values.add(Path.of(next).toAbsolutePath());
                case "--rules" -> setFiles.putAll(ruleFiles(Path.of(next)));
                case "--set" -> {
                    int eq = next.indexOf('=');
                    if (eq < 1) {
                        usage("--set needs path=value");
                    }
                    sets.put(next.substring(0, eq), next.substring(eq + 1));
                }
                case "--set-file" -> {
                    int eq = next.indexOf('=');
                    if (eq < 1) {
                        usage("--set-file needs path=file");
                    }
                    setFiles.put(
                            next.substring(0, eq),
                            Path.of(next.substring(eq + 1)).toAbsolutePath());
                }
                case "--output" -> output = Path.of(next);
                case "--help" -> {
                    usage(null);
                    return;
                }
                default -> usage("unknown argument " + arg);
            }
            i++;
        }
        DeploymentCheck check = new DeploymentCheck(root, root.resolve("deployment-checks/target/deployment-check"));
        List<Problem> problems = new ArrayList<>();
        report("helm lint --strict (default values)", check.chart().lint(), problems);
        report(
                "chart, production values",
                check.checkChart(List.of(check.productionValues()), Map.of()).problems(),
                problems);
        Rendering rendering =
                check.checkChart(values.isEmpty() ? List.of(check.productionValues()) : values, sets, setFiles);
        report(
                "chart, values given" + (values.isEmpty() ? " (none: production values)" : " " + values),
                rendering.problems(),
                problems);
        report("flink-deployment/", check.checkFlinkDeploymentDirectory(), problems);
        report("Dockerfiles (dockerfilelint)", check.lintDockerfiles(), problems);
        if (output != null && !rendering.yaml().isEmpty()) {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, rendering.yaml(), StandardCharsets.UTF_8);
            System.out.println("rendered manifests: " + output);
        }
        if (!problems.isEmpty()) {
            System.out.println(problems.size() + " problem(s)");
            System.exit(1);
        }
        System.out.println("all deployment checks passed");
    }

    private static void report(String what, List<Problem> found, List<Problem> all) {
        System.out.println((found.isEmpty() ? "ok      " : "FAILED  ") + what);
        found.forEach(problem -> System.out.println("        " + problem));
        all.addAll(found);
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println("DeploymentCheck: " + error);
        }
        System.err.println(
                "usage: DeploymentCheck [--values file]... [--rules dir] [--set path=value]... [--set-file path=file]... [--output file]");
        if (error != null) {
            System.exit(2);
        }
    }
}
