package io.otlpgovernor.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/** The Helm chart, linted and rendered in-process by helm-java (Helm's own Go code; no helm binary). */
public final class Chart {

    /** Release name the checks render with. */
    static final String RELEASE = "otlp-governor";

    static final String NAMESPACE = "otlp-governor";
    /** The Kubernetes version rendered for (the chart needs 1.27 or newer; Helm's offline default is older). */
    static final String KUBE_VERSION = "v1.31.0";

    private final Path directory;

    public Chart(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** {@code helm lint --strict} with the chart's default values; each message is a problem. */
    public List<Problem> lint() {
        LintResult result = new Helm(directory).lint().strict().call();
        if (!result.isFailed()
                && result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"))) {
            return List.of();
        }
        return result.getMessages().stream()
                .filter(message -> !message.contains("[INFO]"))
                .map(message -> new Problem(directory.toString(), "helm lint --strict: " + message.trim()))
                .toList();
    }

    /**
     * {@code helm template} with the values files (in order), {@code --set} values and {@code --set-file} entries
     * (value path → file).
     *
     * @throws IllegalStateException with Helm's message when rendering fails (a template error, a {@code required}
     *                               value, a values.schema.json violation)
     */
    public String template(List<Path> valuesFiles, Map<String, String> sets, Map<String, Path> setFiles) {
        TemplateCommand command = new Helm(directory)
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path values : valuesFiles) {
            command = command.withValuesFile(values);
        }
        for (Map.Entry<String, String> entry : sets.entrySet()) {
            command = command.set(entry.getKey(), entry.getValue());
        }
        for (Map.Entry<String, Path> entry : setFiles.entrySet()) {
            command = command.setFile(entry.getKey(), entry.getValue());
        }
        try {
            return command.call();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "helm template " + directory
                            + valuesFiles.stream().map(v -> " -f " + v).reduce("", String::concat) + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
