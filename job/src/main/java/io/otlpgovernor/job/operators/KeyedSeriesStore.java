package io.otlpgovernor.job.operators;

import java.util.Map;

import io.otlpgovernor.rules.cardinality.SeriesStore;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A {@link SeriesStore} in keyed state (RocksDB in the job): the current key's entries, counters and sketches, one
 * map state each. Flink's state calls declare {@code Exception}; a failing state backend fails the task, which then
 * restarts from its last checkpoint, so they are rethrown unchecked.
 */
final class KeyedSeriesStore implements SeriesStore {

    private final MapState<String, Long> entries;
    private final MapState<String, Long> counts;
    private final MapState<String, byte[]> sketches;

    KeyedSeriesStore(RuntimeContext context) {
        entries = context.getMapState(new MapStateDescriptor<>("active-series", Types.STRING, Types.LONG));
        counts = context.getMapState(new MapStateDescriptor<>("series-counts", Types.STRING, Types.LONG));
        sketches = context.getMapState(new MapStateDescriptor<>(
                "over-limit-sketches", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public long lastSeen(String entry) {
        Long seen = call(() -> entries.get(entry));
        return seen == null ? -1 : seen;
    }

    @Override
    public void see(String entry, long atMillis) {
        run(() -> entries.put(entry, atMillis));
    }

    @Override
    public void forget(String entry) {
        run(() -> entries.remove(entry));
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        return call(entries::entries);
    }

    @Override
    public long count(String counter) {
        Long value = call(() -> counts.get(counter));
        return value == null ? 0 : value;
    }

    @Override
    public void setCount(String counter, long value) {
        run(() -> {
            if (value == 0) {
                counts.remove(counter);
            } else {
                counts.put(counter, value);
            }
        });
    }

    @Override
    public Iterable<Map.Entry<String, Long>> counts() {
        return call(counts::entries);
    }

    @Override
    public byte[] sketch(String metric) {
        return call(() -> sketches.get(metric));
    }

    @Override
    public void setSketch(String metric, byte[] sketch) {
        run(() -> {
            if (sketch == null) {
                sketches.remove(metric);
            } else {
                sketches.put(metric, sketch);
            }
        });
    }

    /** Whether the current key holds any active entry. */
    boolean isEmpty() {
        return call(entries::isEmpty);
    }

    /** Removes everything of the current key. */
    void clear() {
        entries.clear();
        counts.clear();
        sketches.clear();
    }

    private interface StateCall<T> {
        T call() throws Exception;
    }

    private interface StateRun {
        void run() throws Exception;
    }

    private static <T> T call(StateCall<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state of the cardinality limit failed", e);
        }
    }

    private static void run(StateRun run) {
        call(() -> {
            run.run();
            return null;
        });
    }
}
