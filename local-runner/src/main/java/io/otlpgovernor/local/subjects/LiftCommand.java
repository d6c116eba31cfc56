package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.otlpgovernor.contract.TopicNames;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.subjects.SubjectEntry;
import io.otlpgovernor.rules.subjects.SubjectIdentifiers;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code subjects lift}: ends a suppression (a tombstone on the subjects topic). */
@Command(
        name = "lift",
        mixinStandardHelpOptions = true,
        description = "Lifts a suppression: by entry id, or by the identifier (every entry of the tenant that holds one"
                + " of its pseudonyms).")
public final class LiftCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SubjectOptions options;

    /** An entry id or an identifier. */
    static final class Which {
        @Option(names = "--id", description = "The entry id (s-…), as suppress and list print it.")
        String id;

        @ArgGroup(exclusive = true)
        SubjectOptions.Identifier identifier;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            HmacKeyring keyring = options.keyring();
            List<SubjectEntry> entries = SubjectsTopic.entries(options.bootstrap, options.tenant, err);
            List<SubjectEntry> lifted;
            if (which.id != null) {
                lifted = entries.stream().filter(e -> e.id().equals(which.id)).toList();
            } else {
                SubjectEntry asked = SubjectIdentifiers.entry(
                        options.tenant, which.identifier.recognise(), keyring, SubjectEntry.DROP_RECORD, "");
                Set<String> pseudonyms = new HashSet<>();
                asked.pseudonyms().values().forEach(pseudonyms::addAll);
                lifted = entries.stream()
                        .filter(e -> e.pseudonyms().values().stream()
                                .flatMap(List::stream)
                                .anyMatch(pseudonyms::contains))
                        .toList();
            }
            if (lifted.isEmpty()) {
                return Outcomes.usage(
                        err, "lift", "tenant " + options.tenant + " has no such suppression in " + TopicNames.SUBJECTS);
            }
            for (SubjectEntry entry : lifted) {
                SubjectsTopic.write(options.bootstrap, entry.key(), null);
                out.println("lifted: entry " + entry.id() + " of tenant " + entry.tenant());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return Outcomes.usage(err, "lift", e.getMessage());
        } catch (KafkaException e) {
            return Outcomes.kafka(err, "lift", e);
        }
    }
}
