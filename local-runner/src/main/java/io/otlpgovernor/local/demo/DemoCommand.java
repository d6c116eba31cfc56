package io.otlpgovernor.local.demo;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./otlp-governor demo …}: things to do to the demo while {@code ./otlp-governor local --demo} runs.
 *
 * <p>Exit status 2 means a usage mistake, reported in one line.
 */
@Command(
        name = "otlp-governor demo",
        mixinStandardHelpOptions = true,
        description = "Acts on the running demo (./otlp-governor local --demo).",
        subcommands = {ExplodeCommand.class})
public final class DemoCommand {

    /** The command line, with a mistake in the options reported in one line and exit status 2. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DemoCommand());
        commandLine.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("otlp-governor: " + e.getMessage() + " (see --help)");
            return 2;
        });
        return commandLine;
    }

    public static void main(String[] args) {
        // Always exit: the exporter's HTTP client may keep non-daemon threads for a while after it is shut down.
        System.exit(commandLine().execute(args));
    }
}
