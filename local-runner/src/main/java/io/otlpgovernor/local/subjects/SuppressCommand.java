package io.otlpgovernor.local.subjects;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/** {@code subjects suppress}: from now on, the job drops (or redacts) every item that carries the subject. */
@Command(
        name = "suppress",
        mixinStandardHelpOptions = true,
        description = "Publishes a suppression entry (HMAC pseudonyms of the identifier only) to " + TopicNames.SUBJECTS
                + "; the job drops or redacts the subject's items from then on.")
public final class SuppressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    SubjectOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    SubjectOptions.Identifier identifier;

    @Option(
            names = "--action",
            defaultValue = SubjectEntry.DROP_RECORD,
            description = "drop-record (default: the item goes) or redact (the identifier is replaced).")
    String action;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (!action.equals(SubjectEntry.DROP_RECORD) && !action.equals(SubjectEntry.REDACT)) {
                return Outcomes.usage(err, "suppress", "--action: drop-record or redact expected");
            }
            HmacKeyring keyring = options.keyring();
            SubjectIdentifiers.Recognised subject = identifier.recognise();
            SubjectEntry entry = SubjectIdentifiers.entry(
                    options.tenant,
                    subject,
                    keyring,
                    action,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            SubjectsTopic.write(options.bootstrap, entry.key(), entry);
            out.println("suppressed: entry " + entry.id() + " of tenant " + entry.tenant() + " (" + entry.kind() + ", "
                    + entry.action() + ", pseudonyms under keys "
                    + String.join(", ", entry.pseudonyms().keySet())
                    + ")");
            out.println("it takes effect when every governing task reports it: type subject-change, entry " + entry.id()
                    + ", on " + TopicNames.AUDIT + " (matches: pseudonyms-only there means the job holds none of these"
                    + " keys and finds the identifier only where it is already hashed)");
            return 0;
        } catch (IllegalArgumentException e) {
            return Outcomes.usage(err, "suppress", e.getMessage());
        } catch (KafkaException e) {
            return Outcomes.kafka(err, "suppress", e);
        }
    }
}
