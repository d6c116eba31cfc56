package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyPlanCacheTest {

    @Test
    void plansEachKeyOnceAndTellsCollidingKeysApart() {
        KeyPlanCache cache = new KeyPlanCache(100_000);
        AtomicInteger planned = new AtomicInteger();
        List<String> keys = new ArrayList<>();
        // Same length, first, middle and last character: the cheap hash collides on all of them.
        for (int i = 0; i < 500; i++) {
            keys.add("a" + String.format("%04d", i) + "m" + String.format("%04d", i) + "z");
        }
        keys.add("");
        keys.add("http.request.method");
        for (int round = 0; round < 3; round++) {
            for (String key : keys) {
                CompiledRules.KeyPlan plan = cache.get(new String(key), k -> {
                    planned.incrementAndGet();
                    return plan(k);
                });
                assertThat(plan.detectors()).hasSize(key.length());
            }
        }
        assertThat(planned).hasValue(keys.size());
    }

    @Test
    void keepsAtMostItsCapacityAndStillAnswersBeyondIt() {
        KeyPlanCache cache = new KeyPlanCache(10);
        AtomicInteger planned = new AtomicInteger();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 20; i++) {
                String key = "key." + i;
                assertThat(cache.get(key, k -> {
                                    planned.incrementAndGet();
                                    return plan(k);
                                })
                                .detectors())
                        .hasSize(key.length());
            }
        }
        // The first ten are kept; the other ten are planned on every lookup.
        assertThat(planned).hasValue(10 + 2 * 10);
    }

    @Test
    void concurrentLookupsAgreeWithOnePlanPerKey() throws Exception {
        KeyPlanCache cache = new KeyPlanCache(100_000);
        ConcurrentHashMap<String, AtomicInteger> planned = new ConcurrentHashMap<>();
        Runnable work = () -> {
            for (int i = 0; i < 5_000; i++) {
                String key = "attribute." + (i % 2_000);
                CompiledRules.KeyPlan plan = cache.get(key, k -> {
                    planned.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                    return plan(k);
                });
                assertThat(plan.detectors()).hasSize(key.length());
            }
        };
        Thread a = new Thread(work);
        Thread b = new Thread(work);
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(planned).hasSize(2_000);
        // A lookup racing with an insert may plan a key twice, never more often than the threads looking it up.
        assertThat(planned.values()).allSatisfy(count -> assertThat(count.get()).isBetween(1, 2));
    }

    /** A plan that identifies its key: as many (absent) detectors as the key has characters. */
    private static CompiledRules.KeyPlan plan(String key) {
        return new CompiledRules.KeyPlan(false, false, false, new CompiledRules.ActiveDetector[key.length()]);
    }
}
