package io.otlpgovernor.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.otlpgovernor.rules.cardinality.SeriesStore;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A {@link SeriesStore} on a local RocksDB, as the job's keyed state keeps it: one read per looked-up entry, one
 * write per change, keys and values serialized. What it leaves out of the job's cost: Flink's key-group prefix and
 * its serializers (a few dozen bytes and a few hundred nanoseconds per access).
 */
final class RocksSeriesStore implements SeriesStore, AutoCloseable {

    private static final byte ENTRY = 'e';
    private static final byte COUNT = 'c';
    private static final byte SKETCH = 'k';

    private final Options options;
    private final RocksDB db;

    RocksSeriesStore(Path directory) throws RocksDBException {
        RocksDB.loadLibrary();
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, directory.toString());
    }

    @Override
    public long lastSeen(String entry) {
        byte[] value = get(key(ENTRY, entry));
        return value == null ? -1 : toLong(value);
    }

    @Override
    public void see(String entry, long atMillis) {
        put(key(ENTRY, entry), fromLong(atMillis));
    }

    @Override
    public void forget(String entry) {
        delete(key(ENTRY, entry));
    }

    @Override
    public Iterable<Map.Entry<String, Long>> entries() {
        return scan(ENTRY);
    }

    @Override
    public long count(String counter) {
        byte[] value = get(key(COUNT, counter));
        return value == null ? 0 : toLong(value);
    }

    @Override
    public void setCount(String counter, long value) {
        if (value == 0) {
            delete(key(COUNT, counter));
        } else {
            put(key(COUNT, counter), fromLong(value));
        }
    }

    @Override
    public Iterable<Map.Entry<String, Long>> counts() {
        return scan(COUNT);
    }

    @Override
    public byte[] sketch(String metric) {
        return get(key(SKETCH, metric));
    }

    @Override
    public void setSketch(String metric, byte[] sketch) {
        if (sketch == null) {
            delete(key(SKETCH, metric));
        } else {
            put(key(SKETCH, metric), sketch);
        }
    }

    private List<Map.Entry<String, Long>> scan(byte kind) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>();
        try (RocksIterator iterator = db.newIterator()) {
            for (iterator.seek(new byte[] {kind}); iterator.isValid() && iterator.key()[0] == kind; iterator.next()) {
                byte[] key = iterator.key();
                entries.add(Map.entry(
                        new String(key, 1, key.length - 1, StandardCharsets.UTF_8), toLong(iterator.value())));
            }
        }
        return entries;
    }

    private static byte[] key(byte kind, String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[text.length + 1];
        key[0] = kind;
        System.arraycopy(text, 0, key, 1, text.length);
        return key;
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB read failed", e);
        }
    }

    private void put(byte[] key, byte[] value) {
        try {
            db.put(key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB write failed", e);
        }
    }

    private void delete(byte[] key) {
        try {
            db.delete(key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB delete failed", e);
        }
    }

    private static byte[] fromLong(long value) {
        byte[] bytes = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        return bytes;
    }

    private static long toLong(byte[] bytes) {
        long value = 0;
        for (byte b : bytes) {
            value = value << 8 | (b & 0xFFL);
        }
        return value;
    }

    @Override
    public void close() {
        db.close();
        options.close();
    }
}
