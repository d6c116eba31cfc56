package io.otlpgovernor.rules.pipeline.reports;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;

/**
 * Usage per tenant and minute, by signal and retention tier: what billing reads. One document per tenant and
 * minute in the normal case; when data for a minute arrives after its report was written (a replay, a stalled
 * partition), another document for the same minute follows — documents are additive, so sum them per tenant and
 * minute. Exactly-once: the sums live in checkpointed state and the documents go out in Kafka transactions.
 */
public final class UsageReports implements ReportKind<UsageDelta> {

    private static final long serialVersionUID = 1L;
    private static final String SEPARATOR = "\u001f";

    static final int RECEIVED = 0;
    static final int ACCEPTED = 1;
    static final int DROPPED_QUOTA = 2;
    static final int DROPPED_SAMPLING = 3;
    static final int DROPPED_POLICY = 4;
    static final int DROPPED_AGE = 5;
    static final int INVALID_REQUESTS = 6;
    static final int BYTES_IN = 7;
    static final int BYTES_OUT = 8;
    /** Appended after the others, so buckets in state from before it keep their meaning. */
    static final int DROPPED_TAIL = 9;

    static final int DROPPED_CARDINALITY = 10;

    private static final int COUNTS = 11;

    @Override
    public Duration window() {
        return Duration.ofMinutes(1);
    }

    @Override
    public long timeOf(UsageDelta delta) {
        return delta.minuteMillis();
    }

    @Override
    public String line(UsageDelta delta) {
        return delta.signal().id() + SEPARATOR + delta.tier();
    }

    @Override
    public Object sumKey(UsageDelta delta) {
        return new UsageDelta(
                delta.tenant(), delta.minuteMillis(), delta.signal(), delta.tier(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public UsageDelta plus(UsageDelta a, UsageDelta b) {
        return new UsageDelta(
                a.tenant(),
                a.minuteMillis(),
                a.signal(),
                a.tier(),
                a.received() + b.received(),
                a.accepted() + b.accepted(),
                a.droppedQuota() + b.droppedQuota(),
                a.droppedSampling() + b.droppedSampling(),
                a.droppedPolicy() + b.droppedPolicy(),
                a.droppedAge() + b.droppedAge(),
                a.droppedTail() + b.droppedTail(),
                a.droppedCardinality() + b.droppedCardinality(),
                a.invalidRequests() + b.invalidRequests(),
                a.bytesIn() + b.bytesIn(),
                a.bytesOut() + b.bytesOut(),
                a.represented() + b.represented());
    }

    @Override
    public Bucket amounts(UsageDelta delta) {
        long[] counts = new long[COUNTS];
        counts[RECEIVED] = delta.received();
        counts[ACCEPTED] = delta.accepted();
        counts[DROPPED_QUOTA] = delta.droppedQuota();
        counts[DROPPED_SAMPLING] = delta.droppedSampling();
        counts[DROPPED_POLICY] = delta.droppedPolicy();
        counts[DROPPED_AGE] = delta.droppedAge();
        counts[INVALID_REQUESTS] = delta.invalidRequests();
        counts[BYTES_IN] = delta.bytesIn();
        counts[BYTES_OUT] = delta.bytesOut();
        counts[DROPPED_TAIL] = delta.droppedTail();
        counts[DROPPED_CARDINALITY] = delta.droppedCardinality();
        return new Bucket(counts, delta.represented());
    }

    @Override
    public byte[] write(String tenant, long windowStart, SortedMap<String, Bucket> lines) {
        ObjectNode root = Json.object();
        root.put("type", "usage");
        root.put("tenant", tenant);
        root.put("minute", Instant.ofEpochMilli(windowStart).toString());
        ObjectNode signals = root.putObject("signals");
        for (Map.Entry<String, Bucket> line : lines.entrySet()) {
            String[] key = line.getKey().split(SEPARATOR, -1);
            ObjectNode signal =
                    signals.has(key[0]) ? (ObjectNode) signals.get(key[0]) : emptySignal(signals.putObject(key[0]));
            add(signal, key[1], line.getValue());
        }
        return Json.bytes(root);
    }

    private static ObjectNode emptySignal(ObjectNode signal) {
        signal.put("received", 0L);
        signal.put("accepted", 0L);
        ObjectNode dropped = signal.putObject("dropped");
        dropped.put("quota", 0L);
        dropped.put("sampling", 0L);
        dropped.put("policy", 0L);
        dropped.put("age", 0L);
        dropped.put("tail", 0L);
        dropped.put("cardinality", 0L);
        signal.put("invalid_requests", 0L);
        signal.put("bytes_in", 0L);
        signal.put("bytes_out", 0L);
        signal.put("represented", 0.0);
        signal.putObject("tiers");
        return signal;
    }

    private static void add(ObjectNode signal, String tier, Bucket bucket) {
        long[] c = bucket.counts();
        increment(signal, "received", c[RECEIVED]);
        increment(signal, "accepted", c[ACCEPTED]);
        ObjectNode dropped = (ObjectNode) signal.get("dropped");
        increment(dropped, "quota", c[DROPPED_QUOTA]);
        increment(dropped, "sampling", c[DROPPED_SAMPLING]);
        increment(dropped, "policy", c[DROPPED_POLICY]);
        increment(dropped, "age", c[DROPPED_AGE]);
        increment(dropped, "tail", c.length > DROPPED_TAIL ? c[DROPPED_TAIL] : 0);
        increment(dropped, "cardinality", c.length > DROPPED_CARDINALITY ? c[DROPPED_CARDINALITY] : 0);
        increment(signal, "invalid_requests", c[INVALID_REQUESTS]);
        increment(signal, "bytes_in", c[BYTES_IN]);
        increment(signal, "bytes_out", c[BYTES_OUT]);
        signal.put("represented", signal.get("represented").asDouble() + bucket.represented());
        if (!tier.isEmpty()) {
            ObjectNode tierNode = ((ObjectNode) signal.get("tiers")).putObject(tier);
            tierNode.put("items", c[ACCEPTED]);
            tierNode.put("bytes_out", c[BYTES_OUT]);
            tierNode.put("represented", bucket.represented());
        }
    }

    private static void increment(ObjectNode node, String field, long amount) {
        node.put(field, node.get(field).asLong() + amount);
    }
}
