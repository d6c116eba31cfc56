package io.otlpgovernor.local.subjects;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./otlp-governor subjects …}: suppress a data subject's telemetry at ingest, lift a suppression, list them,
 * and report where a subject's records are held. Exit status: 0 done, 2 a mistake in the command (one line says
 * what), 1 Kafka or the scan failed.
 */
@Command(
        name = "otlp-governor subjects",
        mixinStandardHelpOptions = true,
        description = "Data-subject requests: suppress a person's data at ingest, and report where it went.",
        subcommands = {SuppressCommand.class, LiftCommand.class, ListCommand.class, FindCommand.class})
public final class SubjectsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "name a command: "
                        + String.join(", ", spec.commandLine().getSubcommands().keySet()));
    }
}
