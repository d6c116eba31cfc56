package io.otlpgovernor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Where a benchmark run's CPU time goes, by thread name (subtask indexes and numbers folded together): each live thread's
 * CPU time is sampled every 100 ms, so a thread that ends loses at most its last 100 ms. The JVM's own threads
 * and RocksDB's are read from {@code /proc/self/task} (Linux): "GC" (G1's threads), "JIT" (compiler threads),
 * "RocksDB" (its background threads); what no thread accounts for is "unattributed".
 */
final class ThreadCpuSampler {
    private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    private final Map<Long, long[]> cpu = new ConcurrentHashMap<>(); // id -> {first, last}
    private final Map<Long, String> names = new ConcurrentHashMap<>();
    private final Map<String, long[]> nativeTicks = new ConcurrentHashMap<>(); // tid -> {first, last}
    private final Map<String, String> nativeNames = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private ThreadCpuSampler() {
        sample(true);
        sampler = new Thread(
                () -> {
                    while (running) {
                        sample(false);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "bench-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static ThreadCpuSampler start() {
        return new ThreadCpuSampler();
    }

    private void sample(boolean baseline) {
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long time = bean.getThreadCpuTime(info.getThreadId());
            if (time < 0) {
                continue;
            }
            names.putIfAbsent(info.getThreadId(), info.getThreadName());
            cpu.compute(
                    info.getThreadId(),
                    (id, v) -> v == null ? new long[] {baseline ? time : 0, time} : new long[] {v[0], time});
        }
        sampleNative(baseline);
    }

    /** CPU ticks of the JVM's and RocksDB's own threads, which ThreadMXBean does not see. */
    private void sampleNative(boolean baseline) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String category = nativeCategory(stat.substring(open + 1, close));
                    if (category == null) {
                        continue;
                    }
                    String[] fields = stat.substring(close + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    String tid = task.getFileName().toString();
                    nativeNames.putIfAbsent(tid, category);
                    nativeTicks.compute(
                            tid,
                            (id, v) -> v == null ? new long[] {baseline ? ticks : 0, ticks} : new long[] {v[0], ticks});
                } catch (IOException | RuntimeException e) {
                    continue; // the thread ended between listing and reading it
                }
            }
        } catch (IOException e) {
            return; // /proc unreadable: no breakdown of the JVM's own threads
        }
    }

    private static String nativeCategory(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return "GC";
        }
        if (comm.contains("CompilerThre")) {
            return "JIT";
        }
        if (comm.startsWith("rocksdb")) {
            return "RocksDB";
        }
        return null;
    }

    String stop(long processCpuNanos) throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
        sample(false);
        Map<String, Long> byName = new HashMap<>();
        long total = 0;
        for (Map.Entry<Long, long[]> e : cpu.entrySet()) {
            if (names.get(e.getKey()).equals("bench-cpu-sampler")) {
                continue;
            }
            long used = e.getValue()[1] - e.getValue()[0];
            total += used;
            byName.merge(fold(names.get(e.getKey())), used, Long::sum);
        }
        for (Map.Entry<String, long[]> e : nativeTicks.entrySet()) {
            long used = (e.getValue()[1] - e.getValue()[0]) * 10_000_000L; // 100 ticks per second
            total += used;
            byName.merge(nativeNames.get(e.getKey()), used, Long::sum);
        }
        byName.put("unattributed", Math.max(0, processCpuNanos - total));
        return byName.entrySet().stream()
                .filter(e -> e.getValue() >= 50_000_000L)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue() / 1e9))
                .reduce((a, b) -> a + "; " + b)
                .orElse("-");
    }

    private static String fold(String name) {
        return name.replaceAll(" \\(\\d+/\\d+\\)#\\d+", "")
                .replaceAll("bench-(governor|identity)-\\d+", "$1")
                .replaceAll("-\\d+", "")
                .replaceAll("\\d+", "N");
    }
}
