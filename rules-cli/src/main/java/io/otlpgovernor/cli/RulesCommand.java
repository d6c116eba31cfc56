package io.otlpgovernor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./otlp-governor rules …}: validate rule files, explain what they do to sample data, publish them.
 * Exit status: 0 success, 1 the rules or the input have problems (all reported), 2 a usage mistake.
 */
@Command(
        name = "otlp-governor rules",
        mixinStandardHelpOptions = true,
        description = "Validate, explain and publish governance rules.",
        subcommands = {ValidateCommand.class, ExplainCommand.class, PublishCommand.class})
public final class RulesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "name a command: "
                        + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RulesCommand()).execute(args));
    }
}
