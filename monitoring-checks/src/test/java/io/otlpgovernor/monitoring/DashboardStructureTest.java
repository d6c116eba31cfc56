package io.otlpgovernor.monitoring;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's structure; each way of breaking it is caught (the broken copies are made from the real file). */
class DashboardStructureTest {

    @Test
    void theDashboardHasNoStructuralProblems() throws IOException {
        assertThat(DashboardLint.problems(GrafanaDashboard.load(MonitoringFiles.DASHBOARD)))
                .isEmpty();
    }

    @Test
    void theDashboardHasTheExpectedVariablesAndRows() throws IOException {
        GrafanaDashboard dashboard = GrafanaDashboard.load(MonitoringFiles.DASHBOARD);
        assertThat(dashboard.json().findValuesAsText("name")).contains("datasource", "namespace", "job_name", "tenant");
        assertThat(dashboard.panels())
                .filteredOn(panel -> "row".equals(panel.path("type").asText()))
                .extracting(panel -> panel.path("title").asText())
                .containsExactly("Bridge", "Flink job", "Governance per tenant", "Kafka consumer lag");
    }

    @Test
    void aDuplicatePanelIdIsReported() throws IOException {
        assertThat(problemsAfter(root -> panel(root, 2).put("id", 2)))
                .contains("panel 2 \"Refused requests by reason\": duplicate id 2");
    }

    @Test
    void aPanelWithoutDescriptionUnitOrTargetsIsReported() throws IOException {
        assertThat(problemsAfter(root -> panel(root, 1).remove("description")))
                .anyMatch(p -> p.endsWith(": no description"));
        assertThat(problemsAfter(
                        root -> ((ObjectNode) panel(root, 1).path("fieldConfig").path("defaults")).remove("unit")))
                .anyMatch(p -> p.contains(": no unit"));
        assertThat(problemsAfter(root -> panel(root, 1).putArray("targets"))).anyMatch(p -> p.endsWith(": no targets"));
    }

    @Test
    void aPanelOrQueryWithAnotherDatasourceIsReported() throws IOException {
        assertThat(problemsAfter(root -> panel(root, 1).remove("datasource")))
                .anyMatch(p -> p.endsWith(": datasource is not the ${datasource} variable"));
        assertThat(problemsAfter(root ->
                        ((ObjectNode) panel(root, 1).path("targets").get(0).path("datasource")).put("uid", "prom-1")))
                .anyMatch(p -> p.endsWith("query A: datasource is not the ${datasource} variable"));
    }

    @Test
    void aMissingOrOverlappingGridPositionIsReported() throws IOException {
        assertThat(problemsAfter(root -> panel(root, 1).remove("gridPos"))).anyMatch(p -> p.contains(": no gridPos.x"));
        assertThat(problemsAfter(root -> ((ObjectNode) panel(root, 2).path("gridPos")).put("x", 4)))
                .anyMatch(p -> p.contains(" overlaps "));
        assertThat(problemsAfter(root -> ((ObjectNode) panel(root, 2).path("gridPos")).put("w", 20)))
                .anyMatch(p -> p.contains("outside the 24-column grid"));
    }

    @Test
    void aDashboardWithoutTheDatasourceVariableIsReported() throws IOException {
        assertThat(problemsAfter(root -> ((com.fasterxml.jackson.databind.node.ArrayNode)
                                root.path("templating").path("list"))
                        .remove(0)))
                .contains("dashboard: no templating variable 'datasource' of type datasource for prometheus");
    }

    private static java.util.List<String> problemsAfter(Consumer<ObjectNode> breakIt) throws IOException {
        GrafanaDashboard dashboard = GrafanaDashboard.load(MonitoringFiles.DASHBOARD);
        breakIt.accept(dashboard.json());
        return DashboardLint.problems(dashboard);
    }

    /** The top-level panel at {@code index} (0 is the first row). */
    private static ObjectNode panel(ObjectNode root, int index) {
        return (ObjectNode) root.path("panels").get(index);
    }
}
