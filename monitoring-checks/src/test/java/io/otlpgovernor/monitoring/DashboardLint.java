package io.otlpgovernor.monitoring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Structural problems of a dashboard that Grafana would accept silently: duplicate or missing panel ids (links and
 * provisioning rely on stable ids), panels without a data source, queries, description, unit or position,
 * overlapping or out-of-grid positions, and a data source that is not the {@code datasource} variable.
 */
final class DashboardLint {

    static final String DATASOURCE_UID = "${datasource}";
    private static final int GRID_WIDTH = 24;

    private DashboardLint() {}

    /** Every problem found, one line each; empty when there is none. */
    static List<String> problems(GrafanaDashboard dashboard) {
        List<String> problems = new ArrayList<>();
        JsonNode root = dashboard.json();
        if (!root.path("schemaVersion").isInt()) {
            problems.add("dashboard: no schemaVersion");
        }
        if (!hasDatasourceVariable(root)) {
            problems.add("dashboard: no templating variable 'datasource' of type datasource for prometheus");
        }
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.panels()) {
            String name = describe(panel);
            if (!panel.path("id").isInt()) {
                problems.add(name + ": no numeric id");
            } else if (!ids.add(panel.path("id").asInt())) {
                problems.add(name + ": duplicate id " + panel.path("id").asInt());
            }
            problems.addAll(gridProblems(name, panel));
        }
        for (JsonNode panel : dashboard.dataPanels()) {
            problems.addAll(dataPanelProblems(describe(panel), panel));
        }
        problems.addAll(overlaps(dashboard.panels()));
        return problems;
    }

    private static List<String> dataPanelProblems(String name, JsonNode panel) {
        List<String> problems = new ArrayList<>();
        if (panel.path("description").asText().isBlank()) {
            problems.add(name + ": no description");
        }
        if (panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
            problems.add(name + ": no unit (fieldConfig.defaults.unit)");
        }
        if (!DATASOURCE_UID.equals(panel.path("datasource").path("uid").asText())) {
            problems.add(name + ": datasource is not the " + DATASOURCE_UID + " variable");
        }
        JsonNode targets = panel.path("targets");
        if (!targets.isArray() || targets.isEmpty()) {
            problems.add(name + ": no targets");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : targets) {
            String refId = target.path("refId").asText();
            if (refId.isBlank() || !refIds.add(refId)) {
                problems.add(name + ": missing or duplicate refId '" + refId + "'");
            }
            if (target.path("expr").asText().isBlank()) {
                problems.add(name + " query " + refId + ": no expr");
            }
            if (!DATASOURCE_UID.equals(target.path("datasource").path("uid").asText())) {
                problems.add(name + " query " + refId + ": datasource is not the " + DATASOURCE_UID + " variable");
            }
        }
        return problems;
    }

    private static List<String> gridProblems(String name, JsonNode panel) {
        JsonNode grid = panel.path("gridPos");
        for (String field : List.of("x", "y", "w", "h")) {
            if (!grid.path(field).isInt()) {
                return List.of(name + ": no gridPos." + field);
            }
        }
        int x = grid.path("x").asInt();
        int w = grid.path("w").asInt();
        if (x < 0 || w < 1 || grid.path("h").asInt() < 1 || grid.path("y").asInt() < 0 || x + w > GRID_WIDTH) {
            return List.of(name + ": gridPos " + grid + " is outside the " + GRID_WIDTH + "-column grid");
        }
        return List.of();
    }

    private static List<String> overlaps(List<JsonNode> panels) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            for (int j = i + 1; j < panels.size(); j++) {
                if (overlap(panels.get(i).path("gridPos"), panels.get(j).path("gridPos"))) {
                    problems.add(describe(panels.get(i)) + " overlaps " + describe(panels.get(j)));
                }
            }
        }
        return problems;
    }

    private static boolean overlap(JsonNode a, JsonNode b) {
        return a.path("x").asInt() < b.path("x").asInt() + b.path("w").asInt()
                && b.path("x").asInt() < a.path("x").asInt() + a.path("w").asInt()
                && a.path("y").asInt() < b.path("y").asInt() + b.path("h").asInt()
                && b.path("y").asInt() < a.path("y").asInt() + a.path("h").asInt();
    }

    private static boolean hasDatasourceVariable(JsonNode root) {
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("datasource".equals(variable.path("name").asText())
                    && "datasource".equals(variable.path("type").asText())
                    && "prometheus".equals(variable.path("query").asText())) {
                return true;
            }
        }
        return false;
    }

    private static String describe(JsonNode panel) {
        return "panel " + panel.path("id").asText("?") + " \""
                + panel.path("title").asText() + "\"";
    }
}
