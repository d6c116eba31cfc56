package io.otlpgovernor.local;

import io.otlpgovernor.cli.RulesCommand;
import io.otlpgovernor.local.replay.ReplayCommand;
import picocli.CommandLine;

/**
 * {@code ./otlp-governor rules …}: the rules commands (validate, explain, publish) and {@code replay}, which runs the
 * governance job and so lives where the job is on the classpath.
 */
public final class RulesMain {

    private RulesMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The rules command line with every subcommand, for callers that capture its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new RulesCommand()).addSubcommand("replay", new ReplayCommand());
    }
}
