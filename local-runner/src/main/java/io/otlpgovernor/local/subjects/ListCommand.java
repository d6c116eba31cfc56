package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.otlpgovernor.rules.subjects.SubjectEntry;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code subjects list}: the tenant's suppressions in force — ids, kinds, actions, dates; never an identifier. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the tenant's suppressions in force.")
public final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SubjectOptions options;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<SubjectEntry> entries = SubjectsTopic.entries(options.bootstrap, options.tenant, err);
            out.printf("%-16s %-13s %-12s %-21s %s%n", "entry", "kind", "action", "requested", "keys");
            for (SubjectEntry entry : entries) {
                out.printf(
                        "%-16s %-13s %-12s %-21s %s%n",
                        entry.id(),
                        entry.kind(),
                        entry.action(),
                        entry.requested(),
                        String.join(",", entry.pseudonyms().keySet()));
            }
            out.println(entries.size() + " suppressions in force for tenant " + options.tenant);
            return 0;
        } catch (KafkaException e) {
            return Outcomes.kafka(err, "list", e);
        }
    }
}
