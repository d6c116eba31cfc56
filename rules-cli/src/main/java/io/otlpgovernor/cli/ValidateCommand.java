package io.otlpgovernor.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.otlpgovernor.rules.ruleset.RuleBook;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code validate <dir>}: every problem in the rule files, or a one-line summary. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks every rule file under <dir>/presets and <dir>/tenants; reports all problems at once.")
final class ValidateCommand extends RulesSubcommand implements Callable<Integer> {

    @Parameters(paramLabel = "<dir>", description = "The rules directory (holding presets/ and tenants/).")
    Path dir;

    @Override
    public Integer call() {
        return validate(dir, out(), err()) == null ? 1 : 0;
    }

    /** Loads {@code dir}, printing the outcome; null when the rules have problems. */
    static RuleBook validate(Path dir, PrintWriter out, PrintWriter err) {
        if (!Files.isDirectory(dir)) {
            err.println(dir + ": no such directory");
            return null;
        }
        try {
            RuleSources sources = RuleSources.fromDirectory(dir);
            if (sources.files().isEmpty()) {
                err.println(dir + ": no rule files in presets/ or tenants/");
                return null;
            }
            RuleBook book = RuleLoader.load(sources);
            out.println("OK: " + book.tenants().size() + " tenants ("
                    + book.tenants().values().stream()
                            .sorted((a, b) -> a.tenant().compareTo(b.tenant()))
                            .map(s -> s.tenant() + " v" + s.version())
                            .collect(Collectors.joining(", "))
                    + ") in " + sources.files().size() + " files");
            return book;
        } catch (RuleValidationException e) {
            err.println(e.getMessage());
            return null;
        }
    }
}
