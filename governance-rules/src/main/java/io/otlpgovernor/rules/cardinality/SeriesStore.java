package io.otlpgovernor.rules.cardinality;

import java.util.Map;

/**
 * Where one key's active series live (a tenant, or one metric of a tenant): entries (series and attribute values,
 * named by {@link SeriesKeys}) with the time each was last seen, named counters, and per-metric sketches. The job
 * keeps them in keyed RocksDB state; tests and benchmarks in memory ({@link MemorySeriesStore}).
 */
public interface SeriesStore {

    /** When {@code entry} was last seen (epoch milliseconds), or -1 when it is not active. */
    long lastSeen(String entry);

    void see(String entry, long atMillis);

    void forget(String entry);

    /** Every active entry with its last-seen time; {@link #forget} may be called while iterating. */
    Iterable<Map.Entry<String, Long>> entries();

    /** A counter's value, 0 when never set. */
    long count(String counter);

    /** Sets a counter; 0 removes it. */
    void setCount(String counter, long value);

    /** Every counter that is not 0. */
    Iterable<Map.Entry<String, Long>> counts();

    /** A metric's sketch of series over its limit in the current report window, or null. */
    byte[] sketch(String metric);

    /** Sets a metric's sketch; null removes it. */
    void setSketch(String metric, byte[] sketch);
}
