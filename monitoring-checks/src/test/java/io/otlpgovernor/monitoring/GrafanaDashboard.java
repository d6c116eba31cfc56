package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Grafana dashboard's JSON model: its panels (rows and the panels of collapsed rows included) and its PromQL. */
final class GrafanaDashboard {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Grafana's interval variables, replaced by durations a Prometheus server would get. */
    private static final List<String[]> INTERVALS = List.of(
            new String[] {"__rate_interval", "5m"},
            new String[] {"__interval_ms", "60000"},
            new String[] {"__interval", "1m"},
            new String[] {"__range_s", "3600"},
            new String[] {"__range_ms", "3600000"},
            new String[] {"__range", "1h"});

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([a-zA-Z_]\\w*)(?::[^}]*)?}|\\$([a-zA-Z_]\\w*)|\\[\\[([a-zA-Z_]\\w*)]]");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$", Pattern.DOTALL);
    private static final Pattern QUERY_RESULT = Pattern.compile("^\\s*query_result\\((.*)\\)\\s*$", Pattern.DOTALL);

    private final ObjectNode root;

    GrafanaDashboard(ObjectNode root) {
        this.root = root;
    }

    static GrafanaDashboard load(Path file) throws IOException {
        return new GrafanaDashboard((ObjectNode) JSON.readTree(file.toFile()));
    }

    ObjectNode json() {
        return root;
    }

    /** Every panel, in order: top-level panels, rows, and the panels inside collapsed rows. */
    List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : root.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** The panels that show data (every panel but rows). */
    List<JsonNode> dataPanels() {
        return panels().stream()
                .filter(panel -> !"row".equals(panel.path("type").asText()))
                .toList();
    }

    /** Every panel query, as written (with Grafana variables). */
    List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : dataPanels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(
                        "dashboard panel " + panel.path("id").asText() + " \""
                                + panel.path("title").asText() + "\" query "
                                + target.path("refId").asText(),
                        target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** The PromQL inside the query variables ({@code label_values(<selector>, label)}, {@code query_result(<expr>)}). */
    List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            JsonNode query = variable.path("query");
            String text =
                    query.isTextual() ? query.asText() : query.path("query").asText();
            String promQl = variablePromQl(text);
            if (promQl != null) {
                queries.add(
                        new Query("dashboard variable " + variable.path("name").asText(), promQl));
            }
        }
        return queries;
    }

    /** Panel and variable queries. */
    List<Query> allQueries() {
        List<Query> all = new ArrayList<>(panelQueries());
        all.addAll(variableQueries());
        return all;
    }

    /** The expression as Prometheus would get it from Grafana: interval variables become durations, other variables {@code .*}. */
    static String substituteVariables(String expr) {
        String result = expr;
        for (String[] interval : INTERVALS) {
            result = result.replace("${" + interval[0] + "}", interval[1]).replace("$" + interval[0], interval[1]);
        }
        return VARIABLE.matcher(result).replaceAll(Matcher.quoteReplacement(".*"));
    }

    private static String variablePromQl(String variableQuery) {
        Matcher labelValues = LABEL_VALUES.matcher(variableQuery);
        if (labelValues.matches()) {
            return labelValues.group(1);
        }
        Matcher queryResult = QUERY_RESULT.matcher(variableQuery);
        return queryResult.matches() ? queryResult.group(1) : null;
    }
}
