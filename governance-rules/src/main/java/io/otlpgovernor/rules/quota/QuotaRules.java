package io.otlpgovernor.rules.quota;

import java.util.List;
import java.util.Optional;

import io.otlpgovernor.rules.yaml.Fields;

/**
 * The {@code quotas} section: a rate with a burst, a daily volume, and what happens over quota.
 *
 * @param rate      sustained rate and burst; empty = no rate limit
 * @param dailyLimit items or bytes per UTC day; empty = no daily limit
 * @param overQuota what happens to data over quota
 */
public record QuotaRules(Optional<Rate> rate, Optional<Daily> dailyLimit, OverQuota overQuota) {

    public static final QuotaRules NONE = new QuotaRules(Optional.empty(), Optional.empty(), OverQuota.DROP);

    /** What is counted. */
    public enum Unit {
        /** Spans, data points and log records. */
        ITEMS,
        /** Request bytes. */
        BYTES
    }

    /** Over quota, data is dropped, or downsampled keeping traces whole (consistent sampling by trace id). */
    public enum OverQuota {
        DROP,
        DOWNSAMPLE
    }

    /**
     * @param unit      items or bytes
     * @param perSecond sustained rate
     * @param burst     how much may arrive at once above the rate (bucket size); at least {@code perSecond}
     */
    public record Rate(Unit unit, long perSecond, long burst) {}

    /**
     * @param unit   items or bytes
     * @param amount per UTC day
     */
    public record Daily(Unit unit, long amount) {}

    public static QuotaRules read(Fields section) {
        Optional<Rate> rate = section.mapping("rate").flatMap(QuotaRules::readRate);
        Optional<Daily> daily = section.mapping("daily").flatMap(QuotaRules::readDaily);
        OverQuota over = section.oneOf("over-quota", List.of("drop", "downsample"))
                .map(s -> s.equals("drop") ? OverQuota.DROP : OverQuota.DOWNSAMPLE)
                .orElse(OverQuota.DROP);
        section.finish();
        return new QuotaRules(rate, daily, over);
    }

    private static Optional<Rate> readRate(Fields rate) {
        Unit unit = unit(rate);
        rate.require("per-second");
        Optional<Long> perSecond = rate.integer("per-second", 1, Long.MAX_VALUE / 2);
        Optional<Long> burst = rate.integer("burst", 1, Long.MAX_VALUE / 2);
        if (perSecond.isPresent() && burst.isPresent() && burst.get() < perSecond.get()) {
            rate.problem("burst", "must be at least per-second");
        }
        rate.finish();
        return perSecond.map(p -> new Rate(unit, p, Math.max(burst.orElse(p), p)));
    }

    private static Optional<Daily> readDaily(Fields daily) {
        if (daily.has("items") == daily.has("bytes")) {
            daily.problems().add(daily.file(), daily.node(), daily.path(), "name exactly one of 'items' or 'bytes'");
        }
        Optional<Long> items = daily.integer("items", 1, Long.MAX_VALUE / 2);
        Optional<Long> bytes = daily.integer("bytes", 1, Long.MAX_VALUE / 2);
        daily.finish();
        return items.map(i -> new Daily(Unit.ITEMS, i)).or(() -> bytes.map(b -> new Daily(Unit.BYTES, b)));
    }

    private static Unit unit(Fields rate) {
        return rate.oneOf("unit", List.of("items", "bytes"))
                .map(u -> u.equals("items") ? Unit.ITEMS : Unit.BYTES)
                .orElse(Unit.ITEMS);
    }
}
