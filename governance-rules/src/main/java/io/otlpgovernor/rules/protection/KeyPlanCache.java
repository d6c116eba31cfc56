package io.otlpgovernor.rules.protection;

import java.util.function.Function;

/**
 * The plans of the attribute keys seen so far, bounded. A map keyed by attribute key, specialised for what it sees:
 * every key arrives as a new {@code String} (protobuf decodes each request afresh), so a {@code HashMap} would
 * compute the whole {@link String#hashCode} of every key of every attribute — which was the largest single cost of
 * looking plans up. This table hashes the length and three characters and lets {@link String#equals} (vectorised)
 * settle collisions.
 *
 * <p>Thread-safe: lookups read without locking (entries are immutable; a lookup racing with an insert at most
 * misses and computes the plan again), inserts and growth are synchronised and publish a new table.
 */
final class KeyPlanCache {

    private record Entry(String key, CompiledRules.KeyPlan plan, Entry next) {}

    private final int capacity;
    private volatile Entry[] table = new Entry[256];
    private int size;

    /** @param capacity the most keys kept; later keys are planned on every lookup */
    KeyPlanCache(int capacity) {
        this.capacity = capacity;
    }

    /** The plan of {@code key}, computed with {@code plan} the first time. */
    CompiledRules.KeyPlan get(String key, Function<String, CompiledRules.KeyPlan> plan) {
        Entry[] current = table;
        for (Entry entry = current[slot(key, current.length)]; entry != null; entry = entry.next()) {
            if (entry.key().equals(key)) {
                return entry.plan();
            }
        }
        CompiledRules.KeyPlan planned = plan.apply(key);
        insert(key, planned);
        return planned;
    }

    private synchronized void insert(String key, CompiledRules.KeyPlan plan) {
        Entry[] current = table;
        int slot = slot(key, current.length);
        for (Entry entry = current[slot]; entry != null; entry = entry.next()) {
            if (entry.key().equals(key)) {
                return;
            }
        }
        if (size >= capacity) {
            return;
        }
        if (size >= current.length / 2) {
            current = grown(current);
            slot = slot(key, current.length);
        }
        current[slot] = new Entry(key, plan, current[slot]);
        size++;
        table = current;
    }

    private static Entry[] grown(Entry[] old) {
        Entry[] grown = new Entry[old.length * 2];
        for (Entry head : old) {
            for (Entry entry = head; entry != null; entry = entry.next()) {
                int slot = slot(entry.key(), grown.length);
                grown[slot] = new Entry(entry.key(), entry.plan(), grown[slot]);
            }
        }
        return grown;
    }

    /** A cheap hash: the length and the first, middle and last characters. */
    private static int slot(String key, int tableLength) {
        int length = key.length();
        int hash = length;
        if (length > 0) {
            hash = hash * 31 + key.charAt(0);
            hash = hash * 31 + key.charAt(length >> 1);
            hash = hash * 31 + key.charAt(length - 1);
        }
        hash ^= hash >>> 11;
        hash *= 0x9e3779b1;
        return (hash >>> 16) & (tableLength - 1);
    }
}
