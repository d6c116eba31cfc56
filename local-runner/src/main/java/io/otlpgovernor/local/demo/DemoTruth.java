package io.otlpgovernor.local.demo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the demo workload really sent, per tenant: traces, spans, log records and metric data points in exports the
 * bridge acknowledged, items in exports it did not, and misencoded records written straight to Kafka. Sampling estimates downstream are compared against it.
 *
 * <p>Counted by the exporters once an export has completed, so an item counts once the bridge has answered for it.
 * {@link #documents} turns the counts since its last call into one additive JSON document per tenant (topic
 * {@value #TOPIC}): readers sum them per tenant.
 */
public final class DemoTruth {

    /** The topic the demo workload writes its truth to, keyed by tenant. */
    public static final String TOPIC = "demo_truth";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Tally> tallies = new LinkedHashMap<>();

    /** Counts for each of {@code tenants}. */
    DemoTruth(List<String> tenants) {
        tenants.forEach(tenant -> tallies.put(tenant, new Tally()));
    }

    Tally tally(String tenant) {
        Tally tally = tallies.get(tenant);
        if (tally == null) {
            throw new IllegalArgumentException("not a demo tenant: " + tenant);
        }
        return tally;
    }

    /** One document per tenant with the counts since the last call, stamped {@code at}. */
    Map<String, byte[]> documents(Instant at) {
        Map<String, byte[]> documents = new LinkedHashMap<>();
        tallies.forEach((tenant, tally) -> documents.put(tenant, document(tenant, at, tally)));
        return documents;
    }

    private static byte[] document(String tenant, Instant at, Tally tally) {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "demo-truth");
        root.put("tenant", tenant);
        root.put("at", at.toString());
        root.put("traces", tally.traces.sumThenReset());
        root.put("spans", tally.spans.sumThenReset());
        root.put("log_records", tally.logRecords.sumThenReset());
        root.put("data_points", tally.dataPoints.sumThenReset());
        root.put("invalid_records", tally.invalidRecords.sumThenReset());
        ObjectNode failed = root.putObject("failed");
        failed.put("spans", tally.failedSpans.sumThenReset());
        failed.put("log_records", tally.failedLogRecords.sumThenReset());
        failed.put("data_points", tally.failedDataPoints.sumThenReset());
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values is always serializable", e);
        }
    }

    /** One tenant's running counts. */
    static final class Tally {
        final LongAdder traces = new LongAdder();
        final LongAdder spans = new LongAdder();
        final LongAdder logRecords = new LongAdder();
        final LongAdder dataPoints = new LongAdder();
        final LongAdder failedSpans = new LongAdder();
        final LongAdder failedLogRecords = new LongAdder();
        final LongAdder failedDataPoints = new LongAdder();
        /** Records written straight to an input topic that are not OTLP protobuf (the job dead-letters them). */
        final LongAdder invalidRecords = new LongAdder();
    }
}
