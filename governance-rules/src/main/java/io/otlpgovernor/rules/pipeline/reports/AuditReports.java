package io.otlpgovernor.rules.pipeline.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.registry.RuleChange;
import io.otlpgovernor.rules.subjects.SubjectRegistry;

/**
 * The audit trail: per tenant and short window, what governance did — by which rule of which rule-set version, with
 * which action, on which field path or tier, how many times — and, unaggregated, every rule-set change. Documents
 * hold rule ids, labels, actions, paths, tiers and counts: never a value found in the data.
 */
public final class AuditReports implements ReportKind<AuditDelta> {

    private static final long serialVersionUID = 1L;
    private static final String SEPARATOR = "\u001f";

    private final Duration window;

    public AuditReports(Duration window) {
        this.window = window;
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public long timeOf(AuditDelta delta) {
        return delta.arrivalMillis();
    }

    @Override
    public String line(AuditDelta delta) {
        // Zero-padded so lines sort by version numerically.
        return String.format("%019d", delta.ruleSetVersion())
                + SEPARATOR
                + delta.rule()
                + SEPARATOR
                + delta.label()
                + SEPARATOR
                + delta.action()
                + SEPARATOR
                + delta.target();
    }

    @Override
    public Object sumKey(AuditDelta delta) {
        long windowLength = window.toMillis();
        return new AuditDelta(
                delta.tenant(),
                Math.floorDiv(delta.arrivalMillis(), windowLength) * windowLength,
                delta.ruleSetVersion(),
                delta.rule(),
                delta.label(),
                delta.action(),
                delta.target(),
                0);
    }

    @Override
    public AuditDelta plus(AuditDelta a, AuditDelta b) {
        return new AuditDelta(
                a.tenant(),
                a.arrivalMillis(),
                a.ruleSetVersion(),
                a.rule(),
                a.label(),
                a.action(),
                a.target(),
                a.count() + b.count());
    }

    @Override
    public Bucket amounts(AuditDelta delta) {
        return new Bucket(new long[] {delta.count()}, 0);
    }

    @Override
    public byte[] write(String tenant, long windowStart, SortedMap<String, Bucket> lines) {
        ObjectNode root = Json.object();
        root.put("type", "governance-summary");
        root.put("tenant", tenant);
        root.put("window_start", Instant.ofEpochMilli(windowStart).toString());
        root.put(
                "window_end",
                Instant.ofEpochMilli(windowStart + window.toMillis()).toString());
        ArrayNode entries = root.putArray("entries");
        for (Map.Entry<String, Bucket> line : lines.entrySet()) {
            String[] key = line.getKey().split(SEPARATOR, -1);
            ObjectNode entry = entries.addObject();
            entry.put("rule_set_version", Long.parseLong(key[0]));
            entry.put("rule", key[1]);
            if (!key[2].isEmpty()) {
                entry.put("label", key[2]);
            }
            entry.put("action", key[3]);
            entry.put(isTierAction(key[3]) ? "tier" : "field", key[4]);
            entry.put("count", line.getValue().counts()[0]);
        }
        return Json.bytes(root);
    }

    private static boolean isTierAction(String action) {
        return action.equals("route") || action.equals("expire");
    }

    /** The audit document of a rule-set change. */
    public static byte[] ruleChange(RuleChange change) {
        ObjectNode root = Json.object();
        root.put("type", "rule-set-change");
        root.put("tenant", change.tenant());
        root.put("outcome", change.outcome().id());
        if (change.version() >= 0) {
            root.put("version", change.version());
        }
        if (change.previousVersion() >= 0) {
            root.put("previous_version", change.previousVersion());
        }
        ArrayNode problems = root.putArray("problems");
        change.problems().forEach(problems::add);
        root.put("rules_topic_offset", change.offset());
        return Json.bytes(root);
    }

    /**
     * A subjects-topic record as one governing task applied it: every task reports it, so the audit topic shows
     * when the suppression took effect in each ({@code task}, {@code tasks}) — the evidence that nothing governed
     * after that still carries the subject.
     */
    public static byte[] subjectChange(SubjectRegistry.Change change, long atMillis, int task, int tasks) {
        ObjectNode root = Json.object();
        root.put("type", "subject-change");
        root.put("tenant", change.tenant());
        root.put("entry", change.entryId());
        root.put("outcome", change.outcome().id());
        if (!change.problem().isEmpty()) {
            root.put("problem", change.problem());
        }
        if (change.outcome() == SubjectRegistry.Outcome.SUPPRESSED) {
            root.put("matches", change.findsRaw() ? "raw-and-pseudonyms" : "pseudonyms-only");
        }
        root.put("task", task);
        root.put("tasks", tasks);
        root.put("applied_at", Instant.ofEpochMilli(atMillis).toString());
        root.put("subjects_topic_offset", change.offset());
        return Json.bytes(root);
    }
}
