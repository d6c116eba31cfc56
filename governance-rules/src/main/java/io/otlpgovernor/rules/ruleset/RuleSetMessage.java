package io.otlpgovernor.rules.ruleset;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otlpgovernor.rules.yaml.Problem;

/**
 * A versioned rule set as it travels on the compacted rules topic: key = tenant id, value = this message as JSON.
 * It carries the rule files themselves (the tenant's file and the presets), not a compiled form, so every reader
 * validates them with the same code that validated them before publishing, and an invalid update is refused
 * where it is received.
 *
 * @param tenant  the tenant id (also the record key)
 * @param version the tenant file's version
 * @param files   relative path → YAML text
 */
public record RuleSetMessage(String tenant, long version, Map<String, String> files) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public RuleSetMessage {
        files = new TreeMap<>(files);
    }

    /** The message for {@code tenant}'s rule set in {@code book}. */
    public static RuleSetMessage of(RuleBook book, String tenant) {
        RuleSet set =
                book.tenant(tenant).orElseThrow(() -> new IllegalArgumentException("no rules for tenant " + tenant));
        Map<String, String> files = new TreeMap<>();
        book.sources().forTenant(tenant).files().forEach((path, text) -> {
            boolean needed = path.startsWith(RuleSources.TENANTS)
                    || set.presets().stream().anyMatch(p -> path.equals(RuleSources.PRESETS + p + ".yaml"));
            if (needed) {
                files.put(path, text);
            }
        });
        return new RuleSetMessage(tenant, set.version(), files);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a rule set message is always serializable", e);
        }
    }

    /** Parses a message; a value that is not one is an {@link IllegalArgumentException} saying so. */
    public static RuleSetMessage fromJson(byte[] json) {
        try {
            return JSON.readValue(json, RuleSetMessage.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a rule set message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a rule set message", e);
        }
    }

    /**
     * Validates the carried files and returns the tenant's rule set; the tenant and version inside the files must
     * be those the message claims.
     */
    public RuleSet load() throws RuleValidationException {
        RuleSet set = RuleLoader.load(new RuleSources(files))
                .tenant(tenant)
                .orElseThrow(() -> new RuleValidationException(List.of(new Problem(
                        "tenants/" + tenant + ".yaml", 0, "", "the message has no rule file for tenant " + tenant))));
        if (set.version() != version) {
            throw new RuleValidationException(List.of(new Problem(
                    "tenants/" + tenant + ".yaml",
                    0,
                    "version",
                    "the message claims version " + version + " but the file says " + set.version())));
        }
        return set;
    }
}
