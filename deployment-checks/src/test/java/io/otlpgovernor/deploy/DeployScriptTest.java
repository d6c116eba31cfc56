package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** deploy/deploy.sh: syntax, shellcheck, and the options that need no cluster. */
class DeployScriptTest {

    private static final Path SCRIPT = Repository.ROOT.resolve("deploy/deploy.sh");

    @Test
    void parsesWithBashN() throws Exception {
        Run run = run("bash", "-n", SCRIPT.toString());

        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void passesShellcheck() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/shellcheck"))
                || run("sh", "-c", "command -v shellcheck").exit() == 0;
        // CI installs shellcheck (.ci/run); on a machine without it the check cannot run.
        assumeTrue(installed || System.getenv("CI") != null, "shellcheck is not installed");
        Run run = run("shellcheck", SCRIPT.toString());

        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void describesItsOptions() throws Exception {
        Run run = run("bash", SCRIPT.toString(), "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.output())
                .contains("--registry", "--tag", "--values", "--dry-run", "--timeout", "--rules")
                .doesNotContain("\u001b[");
    }

    @Test
    void refusesAnUnknownOptionWithoutColorsWhenNotATerminal() throws Exception {
        Run run = run("bash", SCRIPT.toString(), "--registy", "x");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("error: unknown option: --registy").doesNotContain("\u001b[");
    }

    private record Run(int exit, String output) {}

    private static Run run(String... command) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
