package io.otlpgovernor.local.subjects;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import io.otlpgovernor.rules.subjects.SubjectIdentifiers;
import picocli.CommandLine.Option;

/**
 * What every subjects command needs: Kafka, the tenant, its keys, and (for most) the identifier. An identifier given
 * as {@code -} is read from standard input, so it stays out of shell history and the process list.
 */
final class SubjectOptions {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--tenant", required = true, description = "The tenant whose data holds the subject.")
    String tenant;

    @Option(
            names = "--hmac-keys",
            defaultValue = "local-data/hmac-keys.yaml",
            description = "The tenants' HMAC keys file, the one the job uses (default: ${DEFAULT-VALUE}).")
    Path hmacKeys;

    /** Exactly one identifier. */
    static final class Identifier {
        @Option(names = "--email", description = "An e-mail address (- reads it from standard input).")
        String email;

        @Option(names = "--user-id", description = "A user id, matched as a whole value or word (- reads stdin).")
        String userId;

        @Option(
                names = "--value",
                description = "Another identifier the classifier recognises: a phone, card, SSN, IBAN or IP"
                        + " address (- reads stdin).")
        String value;

        SubjectIdentifiers.Recognised recognise() {
            if (email != null) {
                return SubjectIdentifiers.email(orStdin(email));
            }
            if (userId != null) {
                return SubjectIdentifiers.userId(orStdin(userId));
            }
            return SubjectIdentifiers.value(orStdin(value));
        }

        private static String orStdin(String given) {
            if (!given.equals("-")) {
                return given;
            }
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new IllegalArgumentException("standard input is empty: the identifier was expected there");
                }
                return line;
            } catch (IOException e) {
                throw new IllegalArgumentException("standard input cannot be read");
            }
        }
    }

    /** The tenant's keyring; a missing file or tenant is an {@link IllegalArgumentException} saying which. */
    HmacKeyring keyring() {
        if (!Files.isRegularFile(hmacKeys)) {
            throw new IllegalArgumentException("--hmac-keys " + hmacKeys + ": no such file");
        }
        Map<String, HmacKeyring> keyrings;
        try {
            keyrings = HmacKeyFile.load(hmacKeys);
        } catch (RuleValidationException e) {
            throw new IllegalArgumentException("--hmac-keys " + hmacKeys + " does not validate: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("--hmac-keys " + hmacKeys + " cannot be read");
        }
        HmacKeyring keyring = keyrings.get(tenant);
        if (keyring == null) {
            throw new IllegalArgumentException("unknown tenant '" + tenant + "': it has no HMAC keys in " + hmacKeys
                    + " (tenants: " + String.join(", ", new java.util.TreeSet<>(keyrings.keySet())) + ")");
        }
        return keyring;
    }
}
