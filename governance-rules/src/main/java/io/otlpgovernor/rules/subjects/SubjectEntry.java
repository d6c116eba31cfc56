package io.otlpgovernor.rules.subjects;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otlpgovernor.contract.TenantIds;

/**
 * One data subject whose data a tenant suppresses: the value of a record on the compacted subjects topic (key
 * {@code <tenant>/<id>}; a tombstone lifts the suppression). It holds only pseudonyms of the subject's identifier,
 * under each of the tenant's HMAC keys at the time of the request — never the identifier.
 *
 * @param tenant     the tenant whose data holds the subject
 * @param id         the entry's id, named in audit records ({@code s-…}, derived from the identifier under the
 *                   tenant's current key, so suppressing the same identifier twice writes the same entry)
 * @param kind       what the identifier is: {@code user-id}, or the id of the detector that recognises it
 *                   ({@code email}, {@code phone}, {@code us-ssn}, {@code iban}, {@code payment-card}, {@code ipv4},
 *                   {@code ipv6})
 * @param action     what the job does to an item that carries it: {@code drop-record} or {@code redact}
 * @param requested  when it was requested (ISO-8601), for the evidence
 * @param pseudonyms key id → pseudonyms of the identifier under that key: first of its normal form (how the job
 *                   hashes what it finds raw), then of the form it was given in, when that differs
 */
public record SubjectEntry(
        String tenant, String id, String kind, String action, String requested, Map<String, List<String>> pseudonyms) {

    public static final String DROP_RECORD = "drop-record";
    public static final String REDACT = "redact";

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("s-[A-Za-z0-9_-]{1,64}");

    public SubjectEntry {
        pseudonyms = pseudonyms == null ? Map.of() : new TreeMap<>(pseudonyms);
    }

    /** The record key on the subjects topic. */
    public String key() {
        return key(tenant, id);
    }

    public static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    public boolean drops() {
        return DROP_RECORD.equals(action);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("a subject entry is always serializable", e);
        }
    }

    /**
     * Parses and checks an entry read under {@code key}; anything wrong is an {@link IllegalArgumentException} whose
     * message says what (and never quotes a pseudonym).
     */
    public static SubjectEntry fromJson(String key, byte[] json) {
        SubjectEntry entry;
        try {
            entry = JSON.readValue(json, SubjectEntry.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a subject entry (JSON with tenant, id, kind, action, pseudonyms)");
        }
        entry.check(key);
        return entry;
    }

    private void check(String key) {
        if (tenant == null || !TenantIds.isValid(tenant)) {
            throw new IllegalArgumentException("tenant: not a valid tenant id");
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id: not a subject entry id (s-…)");
        }
        if (!key().equals(key)) {
            throw new IllegalArgumentException("the record key is not <tenant>/<id> of the entry");
        }
        if (!SubjectIdentifiers.kinds().contains(kind)) {
            throw new IllegalArgumentException(
                    "kind: one of " + String.join(", ", SubjectIdentifiers.kinds()) + " expected");
        }
        if (!DROP_RECORD.equals(action) && !REDACT.equals(action)) {
            throw new IllegalArgumentException("action: drop-record or redact expected");
        }
        if (pseudonyms.isEmpty() || pseudonyms.values().stream().anyMatch(p -> p == null || p.isEmpty())) {
            throw new IllegalArgumentException("pseudonyms: at least one per key id expected");
        }
    }
}
