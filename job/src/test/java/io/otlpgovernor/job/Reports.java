package io.otlpgovernor.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads what the usage and audit topics say, summed the way their readers sum them. */
final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Reports() {}

    static List<JsonNode> documents(List<ConsumerRecord<byte[], byte[]>> records) {
        List<JsonNode> documents = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                documents.add(JSON.readTree(record.value()));
            } catch (IOException e) {
                throw new UncheckedIOException("report is not JSON", e);
            }
        }
        return documents;
    }

    /** The sum of a usage field (a path like {@code received} or {@code dropped/quota}) over a tenant's documents. */
    static long usage(List<JsonNode> documents, String tenant, String signal, String field) {
        return documents.stream()
                .filter(d -> d.path("tenant").asText().equals(tenant))
                .mapToLong(d -> d.path("signals").path(signal).at("/" + field).asLong())
                .sum();
    }

    /** The sum of {@code represented} over a tenant's usage documents. */
    static double represented(List<JsonNode> documents, String tenant, String signal) {
        return documents.stream()
                .filter(d -> d.path("tenant").asText().equals(tenant))
                .mapToDouble(
                        d -> d.path("signals").path(signal).path("represented").asDouble())
                .sum();
    }

    /** The summed count of a tenant's audit entries with {@code rule} and {@code action}. */
    static long audited(List<JsonNode> documents, String tenant, String rule, String action) {
        long sum = 0;
        for (JsonNode document : documents) {
            if (!document.path("type").asText().equals("governance-summary")
                    || !document.path("tenant").asText().equals(tenant)) {
                continue;
            }
            for (JsonNode entry : document.path("entries")) {
                if (entry.path("rule").asText().equals(rule)
                        && entry.path("action").asText().equals(action)) {
                    sum += entry.path("count").asLong();
                }
            }
        }
        return sum;
    }

    /** A tenant's rule-set change events. */
    static List<JsonNode> ruleChanges(List<JsonNode> documents, String tenant) {
        return documents.stream()
                .filter(d -> d.path("type").asText().equals("rule-set-change")
                        && d.path("tenant").asText().equals(tenant))
                .toList();
    }
}
