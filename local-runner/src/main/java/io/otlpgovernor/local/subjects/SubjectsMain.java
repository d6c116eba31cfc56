package io.otlpgovernor.local.subjects;

import picocli.CommandLine;

/** {@code ./otlp-governor subjects …}: data-subject requests — suppress, lift, list, find. */
public final class SubjectsMain {

    private SubjectsMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The subjects command line, for callers that capture its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new SubjectsCommand());
    }
}
