package io.otlpgovernor.bridge.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.otlpgovernor.contract.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys file, reloaded when its content changes. A changed file that does not validate is not applied: the keys
 * loaded last stay in force and the problem is logged (file, line and entry, never a value), so a bad edit cannot
 * lock every tenant out. Polling the content, rather than watching the directory, also follows files that are
 * replaced through symbolic links, as Kubernetes does with mounted secrets.
 */
public final class ApiKeysFile implements Supplier<ApiKeys>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeysFile.class);

    private final Path file;
    private final Consumer<Boolean> reloaded;
    private final ScheduledExecutorService poller;
    private volatile ApiKeys keys;
    private byte[] lastContent;

    private ApiKeysFile(Path file, ApiKeys keys, byte[] content, Consumer<Boolean> reloaded) {
        this.file = file;
        this.keys = keys;
        this.lastContent = content;
        this.reloaded = reloaded;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bridge-keys-reload");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads {@code file}, which must be valid, and checks it for changes every {@code interval}; {@code reloaded}
     * hears of each reload attempt ({@code true} when applied, {@code false} when the new file was refused).
     */
    public static ApiKeysFile watch(Path file, Duration interval, Consumer<Boolean> reloaded) throws ConfigException {
        byte[] content = read(file);
        ApiKeysFile watched = new ApiKeysFile(file, ApiKeys.load(file), content, reloaded);
        watched.poller.scheduleWithFixedDelay(
                watched::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watched;
    }

    @Override
    public ApiKeys get() {
        return keys;
    }

    /** Reloads the file if its content changed since the last load; returns whether new keys are in force. */
    synchronized boolean reloadIfChanged() {
        byte[] content;
        try {
            content = read(file);
        } catch (ConfigException e) {
            LOG.error("Keys file not reloaded, the previous keys stay in force: {}", e.getMessage());
            reloaded.accept(false);
            return false;
        }
        if (Arrays.equals(content, lastContent)) {
            return false;
        }
        lastContent = content;
        try {
            keys = ApiKeys.load(file);
            LOG.info("Keys file {} reloaded: {} keys", file, keys.size());
            reloaded.accept(true);
            return true;
        } catch (ConfigException e) {
            LOG.error("Keys file not reloaded, the previous keys stay in force: {}", e.getMessage());
            reloaded.accept(false);
            return false;
        }
    }

    private static byte[] read(Path file) throws ConfigException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
