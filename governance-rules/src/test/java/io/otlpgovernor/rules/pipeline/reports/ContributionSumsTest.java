package io.otlpgovernor.rules.pipeline.reports;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.rules.pipeline.model.AuditDelta;
import io.otlpgovernor.rules.pipeline.model.UsageDelta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contributions summed by their sum key before they reach the reports give the same report lines as the
 * contributions one by one, in any order: the pre-aggregation the job does before its report operators is exact.
 */
class ContributionSumsTest {

    private static final long MINUTE = 60_000;

    @Test
    void usageSummedByKeyGivesTheSameLinesAsUsageOneByOne() {
        Random random = new Random(7);
        List<UsageDelta> deltas = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            long arrival = 1_764_000_000_000L + random.nextInt(5) * MINUTE + random.nextInt(60_000);
            String tenant = "t" + random.nextInt(3);
            Signal signal = Signal.values()[random.nextInt(3)];
            deltas.add(
                    switch (random.nextInt(4)) {
                        case 0 ->
                            UsageDelta.received(tenant, signal, arrival, random.nextInt(100), random.nextInt(9999));
                        case 1 ->
                            UsageDelta.accepted(
                                    tenant, signal, arrival, "tier" + random.nextInt(3), random.nextInt(100), 7, 1.5);
                        case 2 -> UsageDelta.droppedByTail(tenant, signal, arrival, random.nextInt(100));
                        default -> UsageDelta.removed(tenant, signal, arrival, 1, 2, 3);
                    });
        }
        assertSummingIsExact(new UsageReports(), deltas, UsageDelta::tenant, random);
    }

    @Test
    void auditSummedByKeyGivesTheSameLinesAsAuditOneByOne() {
        Random random = new Random(11);
        List<AuditDelta> deltas = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            deltas.add(new AuditDelta(
                    "t" + random.nextInt(3),
                    1_764_000_000_000L + random.nextInt(20 * 60_000),
                    1 + random.nextInt(2),
                    "rule" + random.nextInt(4),
                    random.nextBoolean() ? "pii" : "",
                    random.nextBoolean() ? "hash" : "tail-drop",
                    random.nextBoolean() ? "spans" : "logs",
                    1 + random.nextInt(50)));
        }
        // An audit window of five minutes: contributions of different arrival times in one window are summed.
        AuditReports kind = new AuditReports(Duration.ofMinutes(5));
        assertSummingIsExact(kind, deltas, AuditDelta::tenant, random);
        Map<Object, AuditDelta> sums = sum(kind, deltas);
        // 3 tenants, 4 or 5 windows, 2 versions, 4 rules, 2 labels, 2 actions, 2 targets: at most 1,200 sums.
        assertThat(sums).hasSizeLessThanOrEqualTo(1_200);
    }

    private static <D> void assertSummingIsExact(
            ReportKind<D> kind, List<D> deltas, java.util.function.Function<D, String> tenant, Random random) {
        List<D> shuffled = new ArrayList<>(deltas);
        Collections.shuffle(shuffled, random);
        List<D> summed = new ArrayList<>(sum(kind, shuffled).values());
        assertThat(summed.size()).isLessThan(deltas.size());
        assertThat(lines(kind, summed, tenant)).isEqualTo(lines(kind, deltas, tenant));
    }

    private static <D> Map<Object, D> sum(ReportKind<D> kind, List<D> deltas) {
        Map<Object, D> sums = new LinkedHashMap<>();
        for (D delta : deltas) {
            sums.merge(kind.sumKey(delta), delta, kind::plus);
        }
        return sums;
    }

    /** Report lines as the report operator sums them: per tenant, window start and line; buckets as lists. */
    private static <D> Map<String, List<Object>> lines(
            ReportKind<D> kind, List<D> deltas, java.util.function.Function<D, String> tenant) {
        Map<String, Bucket> buckets = new HashMap<>();
        long window = kind.window().toMillis();
        for (D delta : deltas) {
            String key = tenant.apply(delta) + "|" + Math.floorDiv(kind.timeOf(delta), window) * window + "|"
                    + kind.line(delta);
            buckets.merge(key, kind.amounts(delta), Bucket::plus);
        }
        Map<String, List<Object>> comparable = new TreeMap<>();
        buckets.forEach((key, bucket) -> comparable.put(
                key,
                List.of(
                        java.util.Arrays.stream(bucket.counts()).boxed().toList(),
                        Math.round(bucket.represented() * 1000))));
        return comparable;
    }
}
