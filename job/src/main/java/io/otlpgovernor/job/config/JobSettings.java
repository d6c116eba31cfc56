package io.otlpgovernor.job.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.contract.config.Durations;
import io.otlpgovernor.contract.config.YamlFiles;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.state.rocksdb.RocksDBOptions;

/**
 * The job's configuration file ({@code job/config/job.yaml} holds the documented local defaults). Every key is
 * optional; what is missing takes the default named on each field.
 *
 * @param jobName        the job's name in the Flink dashboard; default {@code otlp-governor}
 * @param parallelism    default operator parallelism; default 1
 * @param maxParallelism number of key groups, fixed for the job's life (state is sharded by it); default 128
 * @param kafka          Kafka connection and transactions
 * @param checkpoints    checkpointing
 * @param restart        what Flink does when a task fails
 * @param rules          where the rule files and HMAC keys are
 * @param reports        audit and usage reporting
 */
public record JobSettings(
        String jobName,
        Integer parallelism,
        Integer maxParallelism,
        Kafka kafka,
        Checkpoints checkpoints,
        Restart restart,
        Rules rules,
        Reports reports) {

    public JobSettings {
        jobName = jobName == null ? "otlp-governor" : jobName;
        parallelism = parallelism == null ? 1 : parallelism;
        maxParallelism = maxParallelism == null ? 128 : maxParallelism;
        kafka = kafka == null ? new Kafka(null, null, null, null, null, null) : kafka;
        checkpoints = checkpoints == null ? new Checkpoints(null, null, null, null, null) : checkpoints;
        restart = restart == null ? new Restart(null, null, null, null) : restart;
        rules = rules == null ? new Rules(null, null) : rules;
        reports = reports == null ? new Reports(null, null) : reports;
        if (parallelism < 1 || parallelism > maxParallelism) {
            throw new IllegalArgumentException("parallelism must be between 1 and max-parallelism");
        }
        if (maxParallelism < 1 || maxParallelism > 32768) {
            throw new IllegalArgumentException("max-parallelism must be between 1 and 32768");
        }
        Duration needed = checkpoints.intervalDuration().plus(checkpoints.timeoutDuration());
        if (kafka.transactionTimeoutDuration().compareTo(needed) <= 0) {
            throw new IllegalArgumentException("kafka.transaction-timeout must be longer than checkpoints.interval plus"
                    + " checkpoints.timeout, or transactions abort before their checkpoint completes");
        }
    }

    /** Reads and checks a settings file. */
    public static JobSettings load(Path file) throws ConfigException {
        return YamlFiles.read(file, JobSettings.class);
    }

    /** The defaults, as if from an empty file. */
    public static JobSettings defaults() {
        return new JobSettings(null, null, null, null, null, null, null, null);
    }

    /**
     * @param bootstrapServers      default {@code localhost:9092}
     * @param consumerGroup         consumer group of the input topics (offsets are committed on checkpoints, for
     *                              monitoring lag; the job restores its own positions from state); default
     *                              {@code otlp-governor}
     * @param transactionalIdPrefix prefix of the sinks' transactional ids: unique per job, stable across
     *                              restarts; default {@code otlp-governor}
     * @param transactionTimeout    Kafka transaction timeout; must exceed the checkpoint interval plus timeout and
     *                              stay within the brokers' {@code transaction.max.timeout.ms} (15m by default);
     *                              default 10m
     * @param maxRecordBytes        largest governed record the job writes, before compression: a governed request
     *                              or kept trace larger than this is written as several records, each item whole
     *                              (an item larger than this alone is a record of its own); keep it below the
     *                              governed topics' {@code max.message.bytes}; default 1,000,000 (Kafka's default
     *                              limit is 1 MiB)
     * @param properties            Kafka client security settings, given to every consumer, producer and admin
     *                              client of the job as they are: only {@code security.protocol}, {@code ssl.*} and
     *                              {@code sasl.*} keys (the settings exactly-once depends on are fixed by the job);
     *                              default none. Secrets do not belong here: use files (a PEM trust store needs no
     *                              password) and a JAAS file named by {@code java.security.auth.login.config}
     */
    public record Kafka(
            String bootstrapServers,
            String consumerGroup,
            String transactionalIdPrefix,
            String transactionTimeout,
            Integer maxRecordBytes,
            Map<String, String> properties) {

        /** Kafka's default {@code max.message.bytes} (1 MiB + 12) less room for a record's headers and batch framing. */
        public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
        /** The sinks' {@code max.request.size}: no record may be larger than this before compression. */
        public static final int MAX_RECORD_BYTES_LIMIT = 24 * 1024 * 1024;

        public Kafka {
            bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
            consumerGroup = consumerGroup == null ? "otlp-governor" : consumerGroup;
            transactionalIdPrefix = transactionalIdPrefix == null ? "otlp-governor" : transactionalIdPrefix;
            transactionTimeout = transactionTimeout == null ? "10m" : transactionTimeout;
            maxRecordBytes = maxRecordBytes == null ? DEFAULT_MAX_RECORD_BYTES : maxRecordBytes;
            if (maxRecordBytes < 64 * 1024 || maxRecordBytes > MAX_RECORD_BYTES_LIMIT) {
                throw new IllegalArgumentException("kafka.max-record-bytes must be between 65536 and "
                        + MAX_RECORD_BYTES_LIMIT + ", got " + maxRecordBytes);
            }
            properties =
                    properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
            Durations.parse(transactionTimeout, "kafka.transaction-timeout");
            if (!transactionalIdPrefix.matches("[A-Za-z0-9._-]{1,100}")) {
                throw new IllegalArgumentException(
                        "kafka.transactional-id-prefix must be 1-100 characters of letters, digits, '.', '_', '-'");
            }
            for (Map.Entry<String, String> property : properties.entrySet()) {
                String key = property.getKey();
                if (!key.equals("security.protocol") && !key.startsWith("ssl.") && !key.startsWith("sasl.")) {
                    throw new IllegalArgumentException("kafka.properties: '" + key + "' is not a security setting (only"
                            + " security.protocol, ssl.* and sasl.* may be set; the others are fixed by the job)");
                }
                if (property.getValue() == null) {
                    throw new IllegalArgumentException("kafka.properties." + key + ": needs a value");
                }
            }
        }

        /** Without security settings (a plaintext cluster). */
        public Kafka(
                String bootstrapServers,
                String consumerGroup,
                String transactionalIdPrefix,
                String transactionTimeout) {
            this(bootstrapServers, consumerGroup, transactionalIdPrefix, transactionTimeout, null, null);
        }

        public Duration transactionTimeoutDuration() {
            return Durations.parse(transactionTimeout, "kafka.transaction-timeout");
        }
    }

    /**
     * @param interval    time between checkpoint starts; output becomes visible to {@code read_committed}
     *                    readers when a checkpoint completes, so this is the job's latency floor; default 5s
     * @param timeout     a checkpoint taking longer is abandoned; default 2m
     * @param minPause    least time between the end of one checkpoint and the start of the next; default 1s
     * @param directory   where checkpoints go: a Flink file system URI ({@code s3://…}, {@code file:///…}) or a
     *                    local path; default {@code local-data/checkpoints}
     * @param incremental RocksDB incremental checkpoints; default true
     */
    public record Checkpoints(String interval, String timeout, String minPause, String directory, Boolean incremental) {
        private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

        public Checkpoints {
            interval = interval == null ? "5s" : interval;
            timeout = timeout == null ? "2m" : timeout;
            minPause = minPause == null ? "1s" : minPause;
            directory = directory == null ? "local-data/checkpoints" : directory;
            incremental = incremental == null ? Boolean.TRUE : incremental;
            if (Durations.parse(interval, "checkpoints.interval").toMillis() < 10) {
                throw new IllegalArgumentException("checkpoints.interval must be at least 10ms");
            }
            Durations.parse(timeout, "checkpoints.timeout");
            Durations.parse(minPause, "checkpoints.min-pause");
        }

        public Duration intervalDuration() {
            return Durations.parse(interval, "checkpoints.interval");
        }

        public Duration timeoutDuration() {
            return Durations.parse(timeout, "checkpoints.timeout");
        }

        /** The directory as a URI Flink understands; relative local paths become absolute {@code file:} URIs. */
        public String directoryUri() {
            // Not URI.create: a local path may hold characters a URI may not (a space), and a one-letter "scheme"
            // is a Windows drive.
            return URI_SCHEME.matcher(directory).matches()
                    ? directory
                    : Path.of(directory).toAbsolutePath().normalize().toUri().toString();
        }
    }

    /**
     * @param strategy {@code exponential-delay} (default), {@code fixed-delay} or {@code none}
     * @param attempts restarts before the job fails for good; default 20 (fixed-delay) or unlimited within the
     *                 backoff (exponential-delay)
     * @param delay    first (or fixed) delay between restarts; default 1s
     * @param maxDelay longest exponential backoff; default 1m
     */
    public record Restart(String strategy, Integer attempts, String delay, String maxDelay) {
        public Restart {
            strategy = strategy == null ? "exponential-delay" : strategy;
            delay = delay == null ? "1s" : delay;
            maxDelay = maxDelay == null ? "1m" : maxDelay;
            if (!strategy.equals("exponential-delay") && !strategy.equals("fixed-delay") && !strategy.equals("none")) {
                throw new IllegalArgumentException("restart.strategy must be exponential-delay, fixed-delay or none");
            }
            if (attempts != null && attempts < 0) {
                throw new IllegalArgumentException("restart.attempts must not be negative");
            }
            Durations.parse(delay, "restart.delay");
            Durations.parse(maxDelay, "restart.max-delay");
        }
    }

    /**
     * @param directory the rules directory ({@code presets/}, {@code tenants/}); the job starts from these and takes
     *                  newer versions from the rules topic; default {@code governance-rules/rules}
     * @param hmacKeys  the HMAC keys file for rules that hash (a mounted Secret in production); default none, which
     *                  is an error at start when a rule set hashes
     */
    public record Rules(String directory, String hmacKeys) {
        public Rules {
            directory = directory == null ? "governance-rules/rules" : directory;
        }

        public Path directoryPath() {
            return Path.of(directory);
        }

        /** The keys file, or null. */
        public Path hmacKeysPath() {
            return hmacKeys == null ? null : Path.of(hmacKeys);
        }
    }

    /**
     * @param auditWindow length of an audit summary window; default 10s
     * @param grace       how long after a window ends (in data time, by the wall clock) its report waits for
     *                    stragglers before it is written; default 10s
     */
    public record Reports(String auditWindow, String grace) {
        public Reports {
            auditWindow = auditWindow == null ? "10s" : auditWindow;
            grace = grace == null ? "10s" : grace;
            if (Durations.parse(auditWindow, "reports.audit-window").toMillis() < 1000) {
                throw new IllegalArgumentException("reports.audit-window must be at least 1s");
            }
            Durations.parse(grace, "reports.grace");
        }

        public Duration auditWindowDuration() {
            return Durations.parse(auditWindow, "reports.audit-window");
        }

        public Duration graceDuration() {
            return Durations.parse(grace, "reports.grace");
        }
    }

    /** The Flink configuration these settings stand for: RocksDB, exactly-once checkpoints, restart strategy. */
    public Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, jobName);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        conf.set(PipelineOptions.MAX_PARALLELISM, maxParallelism);
        // Fail instead of silently falling back to Kryo: every record and state type has a real serializer.
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, checkpoints.incremental());
        // Tail sampling looks up keys that are mostly absent (a new trace) or present only as list appends (its
        // buffered pieces); without bloom filters each such lookup reads every SST file of every level.
        conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        // Index and filter blocks of large SST files compete with the memtables for the slot's block cache; whole
        // ones are evicted and read back on nearly every lookup. Partitioned, only the needed partitions move.
        conf.set(RocksDBOptions.USE_PARTITIONED_INDEX_FILTERS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.directoryUri());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpoints.intervalDuration());
        conf.set(CheckpointingOptions.CHECKPOINTING_TIMEOUT, checkpoints.timeoutDuration());
        conf.set(
                CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS,
                Durations.parse(checkpoints.minPause(), "min-pause"));
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        applyRestartStrategy(conf);
        return conf;
    }

    private void applyRestartStrategy(Configuration conf) {
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, restart.strategy());
        Duration delay = Durations.parse(restart.delay(), "restart.delay");
        switch (restart.strategy()) {
            case "fixed-delay" -> {
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                        restart.attempts() == null ? 20 : restart.attempts());
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
            }
            case "exponential-delay" -> {
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, delay);
                conf.set(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                        Durations.parse(restart.maxDelay(), "restart.max-delay"));
                if (restart.attempts() != null) {
                    conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, restart.attempts());
                }
            }
            default -> {
                // "none": the first failure fails the job.
            }
        }
    }

    /** A copy pointing at other Kafka servers and another checkpoint directory; used by the local stack and tests. */
    public JobSettings withEnvironment(String bootstrapServers, String checkpointDirectory) {
        return new JobSettings(
                jobName,
                parallelism,
                maxParallelism,
                new Kafka(
                        bootstrapServers,
                        kafka.consumerGroup(),
                        kafka.transactionalIdPrefix(),
                        kafka.transactionTimeout(),
                        kafka.maxRecordBytes(),
                        kafka.properties()),
                new Checkpoints(
                        checkpoints.interval(),
                        checkpoints.timeout(),
                        checkpoints.minPause(),
                        checkpointDirectory,
                        checkpoints.incremental()),
                restart,
                rules,
                reports);
    }

    /** A copy with other rule locations. */
    public JobSettings withRules(Rules other) {
        return new JobSettings(jobName, parallelism, maxParallelism, kafka, checkpoints, restart, other, reports);
    }
}
