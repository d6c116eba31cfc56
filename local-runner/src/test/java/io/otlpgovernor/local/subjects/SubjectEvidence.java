package io.otlpgovernor.local.subjects;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** What the audit topic shows of a data-subject entry: the tasks that applied it, and the items it suppressed. */
public final class SubjectEvidence {

    private SubjectEvidence() {}

    /** The entry id {@code subjects suppress} printed. */
    public static String entryId(String suppressOutput) {
        return suppressOutput.replaceAll("(?s).*entry (s-[A-Za-z0-9_-]+).*", "$1");
    }

    /** How many governing tasks reported applying {@code entry} with {@code outcome} ({@code subject-change}). */
    public static int tasksReporting(List<JsonNode> audit, String entry, String outcome) {
        return (int) audit.stream()
                .filter(d -> d.path("type").asText().equals("subject-change")
                        && d.path("entry").asText().equals(entry)
                        && d.path("outcome").asText().equals(outcome))
                .map(d -> d.path("task").asInt())
                .distinct()
                .count();
    }

    /** Whether every governing task reported {@code entry} suppressed. */
    public static boolean inEffectEverywhere(List<JsonNode> audit, String entry) {
        int tasks = audit.stream()
                .filter(d -> d.path("type").asText().equals("subject-change")
                        && d.path("entry").asText().equals(entry))
                .mapToInt(d -> d.path("tasks").asInt())
                .max()
                .orElse(Integer.MAX_VALUE);
        return tasksReporting(audit, entry, "suppressed") >= tasks;
    }

    /** The items audited as {@code subject-suppressed} under {@code entry}. */
    public static long suppressedItems(List<JsonNode> audit, String entry) {
        long total = 0;
        for (JsonNode document : audit) {
            for (JsonNode action : document.path("entries")) {
                if (action.path("rule").asText().equals(entry)
                        && action.path("action").asText().equals("subject-suppressed")) {
                    total += action.path("count").asLong();
                }
            }
        }
        return total;
    }
}
