package io.otlpgovernor.rules.subjects;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.protection.HmacKeyring;

/**
 * The suppressed subjects in force in one task. Accepted entries live in Flink broadcast state (subjects-topic key →
 * entry JSON), passed in as plain views so this class stays free of Flink; compiled {@link SubjectList}s are cached
 * here per tenant. {@link #consider} depends only on the update and the state, so every task decides the same.
 */
public final class SubjectRegistry {

    /** What a subjects-topic record did. */
    public enum Outcome {
        SUPPRESSED,
        LIFTED,
        REJECTED,
        UNCHANGED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the job made of one subjects-topic record.
     *
     * @param tenant  the tenant (empty when the key is not {@code <tenant>/<id>})
     * @param entryId the entry's id (empty likewise)
     * @param problem why it was rejected, naming no pseudonym; empty otherwise
     * @param findsRaw for a suppressed entry: whether it finds the identifier raw as well as pseudonymised — false
     *                 when the entry holds pseudonyms under none of the tenant's keys in this job (made with another
     *                 keys file, or only under a retired key), so it can match only values already hashed
     */
    public record Change(
            Outcome outcome, String tenant, String entryId, String problem, long offset, boolean findsRaw) {

        Change(Outcome outcome, String tenant, String entryId, String problem, long offset) {
            this(outcome, tenant, entryId, problem, offset, false);
        }
    }

    private final Map<String, HmacKeyring> keyrings;
    private final Map<String, SubjectList> lists = new HashMap<>();

    public SubjectRegistry(Map<String, HmacKeyring> keyrings) {
        this.keyrings = Map.copyOf(keyrings);
    }

    /**
     * The outcome of {@code update}; {@code stored} reads the state (key → entry JSON, or null). On {@code
     * SUPPRESSED} the caller stores the value under the key, on {@code LIFTED} removes the key, and then calls
     * {@link #forget}.
     */
    public Change consider(RuleUpdate update, Function<String, byte[]> stored) {
        String key = update.tenant();
        int slash = key == null ? -1 : key.indexOf('/');
        if (slash < 0 || !TenantIds.isValid(key.substring(0, slash))) {
            return new Change(Outcome.REJECTED, "", "", "record key: <tenant>/<entry id> expected", update.offset());
        }
        String tenant = key.substring(0, slash);
        String id = key.substring(slash + 1);
        byte[] previous = stored.apply(key);
        if (update.value() == null) {
            return new Change(previous == null ? Outcome.UNCHANGED : Outcome.LIFTED, tenant, id, "", update.offset());
        }
        SubjectEntry entry;
        try {
            entry = SubjectEntry.fromJson(key, update.value());
        } catch (IllegalArgumentException e) {
            return new Change(Outcome.REJECTED, tenant, id, e.getMessage(), update.offset());
        }
        if (!keyrings.containsKey(tenant)) {
            return new Change(
                    Outcome.REJECTED,
                    tenant,
                    id,
                    "tenant " + tenant + " has no HMAC keys in this job",
                    update.offset());
        }
        if (Arrays.equals(previous, update.value())) {
            return new Change(Outcome.UNCHANGED, tenant, id, "", update.offset());
        }
        boolean findsRaw = SubjectList.rawKey(entry, keyrings.get(tenant)).isPresent();
        return new Change(Outcome.SUPPRESSED, tenant, id, "", update.offset(), findsRaw);
    }

    /**
     * The tenant's suppressed subjects; {@code entries} lists the state's entries (key → JSON), read only when the
     * tenant's list is not cached.
     */
    public SubjectList list(String tenant, Iterable<Map.Entry<String, byte[]>> entries) {
        SubjectList cached = lists.get(tenant);
        if (cached != null) {
            return cached;
        }
        String prefix = tenant + "/";
        List<SubjectEntry> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : entries) {
            if (entry.getKey().startsWith(prefix)) {
                found.add(SubjectEntry.fromJson(entry.getKey(), entry.getValue()));
            }
        }
        SubjectList list = found.isEmpty() ? SubjectList.NONE : new SubjectList(found, keyrings.get(tenant));
        lists.put(tenant, list);
        return list;
    }

    /** Drops the tenant's compiled list, after its entries changed. */
    public void forget(String tenant) {
        lists.remove(tenant);
    }
}
