package io.otlpgovernor.rules.cardinality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link SeriesStore} in memory: for tests, benchmarks and bounded runs. */
public final class MemorySeriesStore implements SeriesStore {

    private final Map<String, Long> entries = new HashMap<>();
    private final Map<String, Long> counts = new HashMap<>();
    private final Map<String, byte[]> sketches = new HashMap<>();

    @Override
    public long lastSeen(String entry) {
        Long seen = entries.get(entry);
        return seen == null ? -1 : seen;
    }

    @Override
    public void see(String entry, long atMillis) {
        entries.put(entry, atMillis);
    }

    @Override
    public void forget(String entry) {
        entries.remove(entry);
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        return List.copyOf(new ArrayList<>(entries.entrySet()));
    }

    @Override
    public long count(String counter) {
        return counts.getOrDefault(counter, 0L);
    }

    @Override
    public void setCount(String counter, long value) {
        if (value == 0) {
            counts.remove(counter);
        } else {
            counts.put(counter, value);
        }
    }

    @Override
    public Iterable<Map.Entry<String, Long>> counts() {
        return List.copyOf(counts.entrySet());
    }

    @Override
    public byte[] sketch(String metric) {
        return sketches.get(metric);
    }

    @Override
    public void setSketch(String metric, byte[] sketch) {
        if (sketch == null) {
            sketches.remove(metric);
        } else {
            sketches.put(metric, sketch);
        }
    }

    /** Active entries (series and attribute values). */
    public int size() {
        return entries.size();
    }
}
