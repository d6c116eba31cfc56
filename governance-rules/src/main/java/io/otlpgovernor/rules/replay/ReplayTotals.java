package io.otlpgovernor.rules.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What governing a stretch of history did, summed from the usage and audit documents it made: per tenant, named
 * counts in sections —
 * <ul>
 *   <li>{@code <signal>}: {@code received}, {@code accepted}, {@code dropped.<reason>}, {@code invalid_requests},
 *       {@code bytes_in}, {@code bytes_out}, {@code tier.<tier>} (items written to the tier), and {@code represented}
 *       (what the kept items stand for, rounded);</li>
 *   <li>{@code rules}: {@code <rule> <action> <label or ->} → occurrences (protections) or items (the rest) — what
 *       each rule did, tail keeps and drops per policy included;</li>
 *   <li>{@code quota-drops}: {@code <minute>} → items dropped or sampled out by the quota in that minute;</li>
 *   <li>{@code minutes}: {@code <minute> <signal> received|accepted} → items, for plotting over time.</li>
 * </ul>
 * Counts and names only, as the documents hold them: never a value. Plain Java.
 */
public final class ReplayTotals {

    public static final String RULES = "rules";
    public static final String QUOTA_DROPS = "quota-drops";
    public static final String MINUTES = "minutes";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** tenant → section → name → count. */
    private final SortedMap<String, SortedMap<String, SortedMap<String, Long>>> counts = new TreeMap<>();

    /** The totals of {@code usage} and {@code audit} documents (JSON, as the job writes them). */
    public static ReplayTotals of(List<byte[]> usage, List<byte[]> audit) {
        ReplayTotals totals = new ReplayTotals();
        usage.forEach(document -> totals.addUsage(parse(document)));
        audit.forEach(document -> totals.addAudit(parse(document)));
        return totals;
    }

    /** Adds a usage document; documents of other types on the usage topic (cardinality) are skipped. */
    public void addUsage(JsonNode document) {
        if (!document.path("type").asText().equals("usage")) {
            return;
        }
        String tenant = document.path("tenant").asText();
        for (Iterator<Map.Entry<String, JsonNode>> signals =
                        document.path("signals").fields();
                signals.hasNext(); ) {
            Map.Entry<String, JsonNode> signal = signals.next();
            JsonNode counts = signal.getValue();
            for (String field : List.of("received", "accepted", "invalid_requests", "bytes_in", "bytes_out")) {
                add(tenant, signal.getKey(), field, counts.path(field).asLong());
            }
            counts.path("dropped").fields().forEachRemaining(reason -> {
                add(
                        tenant,
                        signal.getKey(),
                        "dropped." + reason.getKey(),
                        reason.getValue().asLong());
                if (reason.getKey().equals("quota")) {
                    add(
                            tenant,
                            QUOTA_DROPS,
                            document.path("minute").asText(),
                            reason.getValue().asLong());
                }
            });
            counts.path("tiers")
                    .fields()
                    .forEachRemaining(tier -> add(
                            tenant,
                            signal.getKey(),
                            "tier." + tier.getKey(),
                            tier.getValue().path("items").asLong()));
            add(
                    tenant,
                    signal.getKey(),
                    "represented",
                    Math.round(counts.path("represented").asDouble()));
            String minute = document.path("minute").asText() + " " + signal.getKey();
            add(tenant, MINUTES, minute + " received", counts.path("received").asLong());
            add(tenant, MINUTES, minute + " accepted", counts.path("accepted").asLong());
        }
    }

    /** Adds an audit document; rule-set changes are skipped (a replay has none). */
    public void addAudit(JsonNode document) {
        if (!document.path("type").asText().equals("governance-summary")) {
            return;
        }
        String tenant = document.path("tenant").asText();
        for (JsonNode entry : document.path("entries")) {
            String label = entry.path("label").asText("-");
            add(
                    tenant,
                    RULES,
                    entry.path("rule").asText() + " " + entry.path("action").asText() + " " + label,
                    entry.path("count").asLong());
        }
    }

    /** The tenants with any count. */
    public java.util.Set<String> tenants() {
        return Collections.unmodifiableSet(counts.keySet());
    }

    /** A tenant's sections, each name → count, sorted. */
    public SortedMap<String, SortedMap<String, Long>> of(String tenant) {
        return counts.getOrDefault(tenant, Collections.emptySortedMap());
    }

    /** These totals of {@code tenant} only. */
    public ReplayTotals only(String tenant) {
        ReplayTotals one = new ReplayTotals();
        if (counts.containsKey(tenant)) {
            one.counts.put(tenant, counts.get(tenant));
        }
        return one;
    }

    /** One count; 0 when absent. */
    public long count(String tenant, String section, String name) {
        return of(tenant).getOrDefault(section, Collections.emptySortedMap()).getOrDefault(name, 0L);
    }

    private void add(String tenant, String section, String name, long amount) {
        if (amount == 0) {
            return;
        }
        counts.computeIfAbsent(tenant, t -> new TreeMap<>())
                .computeIfAbsent(section, s -> new TreeMap<>())
                .merge(name, amount, Long::sum);
    }

    private static JsonNode parse(byte[] document) {
        try {
            return JSON.readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException("a report document is not JSON", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReplayTotals totals && totals.counts.equals(counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    @Override
    public String toString() {
        return counts.toString();
    }
}
