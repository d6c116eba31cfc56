package io.otlpgovernor.rules.replay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The difference between governing the same history under the baseline rules and under candidate rules: per
 * tenant, every count of {@link ReplayTotals} under both, as a terminal table (changes marked) and as JSON. Plain Java.
 *
 * @param from      first arrival time replayed
 * @param to        first arrival time not replayed
 * @param baseline  what the baseline rules did
 * @param candidate what the candidate rules did
 */
public record ReplayDiff(Instant from, Instant to, ReplayTotals baseline, ReplayTotals candidate) {

    private static final Set<String> PER_MINUTE = Set.of(ReplayTotals.MINUTES, ReplayTotals.QUOTA_DROPS);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One count under both rule sets. */
    public record Row(String tenant, String section, String name, long baseline, long candidate) {
        public long change() {
            return candidate - baseline;
        }
    }

    /** Every count of every tenant, by tenant, section and name. */
    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        Set<String> tenants = new TreeSet<>(baseline.tenants());
        tenants.addAll(candidate.tenants());
        for (String tenant : tenants) {
            SortedMap<String, Set<String>> names = new TreeMap<>();
            for (ReplayTotals totals : List.of(baseline, candidate)) {
                totals.of(tenant)
                        .forEach((section, counts) -> names.computeIfAbsent(section, s -> new TreeSet<>())
                                .addAll(counts.keySet()));
            }
            names.forEach((section, keys) -> keys.forEach(name -> rows.add(new Row(
                    tenant,
                    section,
                    name,
                    baseline.count(tenant, section, name),
                    candidate.count(tenant, section, name)))));
        }
        return rows;
    }

    /** The rows whose counts differ. */
    public List<Row> changes() {
        return rows().stream().filter(row -> row.change() != 0).toList();
    }

    /**
     * A table for the terminal: one line per count, {@code *} before the ones that change; of the per-minute sections
     * only the minutes that change (all of them are in the JSON).
     */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("# replay ").append(from).append(" .. ").append(to).append('\n');
        List<Row> rows = rows().stream()
                .filter(row -> row.change() != 0 || !PER_MINUTE.contains(row.section()))
                .toList();
        if (rows.isEmpty()) {
            return out.append("# nothing in range\n").toString();
        }
        int width = Math.max(
                "count".length(),
                rows.stream()
                        .mapToInt(r -> r.section().length() + 1 + r.name().length())
                        .max()
                        .orElse(0));
        String format = "%s %-" + width + "s %14s %14s %14s%n";
        String tenant = null;
        for (Row row : rows) {
            if (!row.tenant().equals(tenant)) {
                tenant = row.tenant();
                out.append('\n').append("tenant ").append(tenant).append('\n');
                out.append(String.format(format, " ", "count", "baseline", "candidate", "change"));
            }
            out.append(String.format(
                    format,
                    row.change() == 0 ? " " : "*",
                    row.section() + " " + row.name(),
                    row.baseline(),
                    row.candidate(),
                    row.change() == 0 ? "" : String.format("%+d", row.change())));
        }
        long changed = rows.stream().filter(r -> r.change() != 0).count();
        out.append('\n')
                .append("# ")
                .append(changed)
                .append(" counts change (per-minute counts, all of them, are in the JSON report)\n");
        return out.toString();
    }

    /** The report as JSON: {@code {type, from, to, tenants: {t: {section: {name: {baseline, candidate}}}}, changes}}. */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "replay-report");
        root.put("from", from.toString());
        root.put("to", to.toString());
        ObjectNode tenants = root.putObject("tenants");
        ArrayNode changes = root.putArray("changes");
        for (Row row : rows()) {
            ObjectNode tenant = tenants.has(row.tenant())
                    ? (ObjectNode) tenants.get(row.tenant())
                    : tenants.putObject(row.tenant());
            ObjectNode section = tenant.has(row.section())
                    ? (ObjectNode) tenant.get(row.section())
                    : tenant.putObject(row.section());
            ObjectNode count = section.putObject(row.name());
            count.put("baseline", row.baseline());
            count.put("candidate", row.candidate());
            if (row.change() != 0) {
                ObjectNode change = changes.addObject();
                change.put("tenant", row.tenant());
                change.put("section", row.section());
                change.put("name", row.name());
                change.put("baseline", row.baseline());
                change.put("candidate", row.candidate());
                change.put("change", row.change());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values is always serializable", e);
        }
    }

    /** The per-tenant JSON documents for the {@code governor_replay} topic, one per tenant (keyed by it). */
    public Map<String, byte[]> perTenant() {
        Map<String, byte[]> documents = new TreeMap<>();
        Set<String> tenants = new TreeSet<>(baseline.tenants());
        tenants.addAll(candidate.tenants());
        for (String tenant : tenants) {
            documents.put(tenant, new ReplayDiff(from, to, baseline.only(tenant), candidate.only(tenant)).json());
        }
        return documents;
    }
}
