package io.otlpgovernor.local.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The few calls of Flink's REST API (the dashboard's own) that the checks need. */
final class FlinkRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    FlinkRest(int port) {
        this.base = "http://localhost:" + port;
    }

    /** The id of the running job, if there is one. */
    Optional<String> runningJobId() throws IOException, InterruptedException {
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (job.path("state").asText().equals("RUNNING")) {
                return Optional.of(job.path("jid").asText());
            }
        }
        return Optional.empty();
    }

    /** The job's vertices (chains of operators), by id: their names as the dashboard shows them. */
    Map<String, String> vertexNames(String jobId) throws IOException, InterruptedException {
        Map<String, String> names = new TreeMap<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            names.put(vertex.path("id").asText(), vertex.path("name").asText());
        }
        return names;
    }

    /** The ids of the metrics a vertex reports, such as {@code 0.Decode_OTLP.governor.requests_decoded}. */
    List<String> vertexMetrics(String jobId, String vertexId) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        get("/jobs/" + jobId + "/vertices/" + vertexId + "/metrics")
                .forEach(metric -> ids.add(metric.path("id").asText()));
        return ids;
    }

    /** The dashboard page of a running job's graph. */
    String jobOverviewPage(String jobId) {
        return base + "/#/job/running/" + jobId + "/overview";
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }
}
