package io.otlpgovernor.local.demo;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./otlp-governor demo explode}: one demo service's counter gains an attribute with a new value per data point,
 * sent with the tenant's demo key to the running bridge, so that the tenant's cardinality limits have something to
 * stop. Other tenants' traffic goes on as before.
 *
 * <p>Exit status 2 means a usage mistake, reported in one line; 1 that the bridge did not accept an export.
 */
@Command(
        name = "explode",
        mixinStandardHelpOptions = true,
        description = {
            "Makes one demo service's metric explode while ./otlp-governor local --demo runs.",
            "A counter whose attribute takes a new value per data point, sent with the OpenTelemetry Java SDK over "
                    + "OTLP/gRPC with the tenant's demo key. The tenant's cardinality limits "
                    + "(governance-rules/rules/tenants/<tenant>.yaml) decide what gets through; the usage topic "
                    + "governor_usage says what they did (type cardinality)."
        })
final class ExplodeCommand implements Callable<Integer> {

    static final int MAX_SERIES = 10_000;
    static final double MAX_RATE = 10_000;
    static final double MAX_MINUTES = 60;
    /**
     * How often the SDK exports: as often as the demo workload's own services do ({@code DemoWorkload.METRIC_INTERVAL},
     * not referred to: loading that class would start logging, and a log file, for this short command).
     */
    static final Duration EXPORT_INTERVAL = Duration.ofSeconds(10);

    /** OpenTelemetry's instrument name syntax. */
    private static final Pattern INSTRUMENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_./-]{0,254}");

    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,254}");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Kept here: java.util.logging holds its loggers weakly, and a collected logger loses its configuration. */
    private static final Logger SDK_LOGGER = Logger.getLogger("io.opentelemetry");

    @Option(
            names = "--tenant",
            defaultValue = "acme",
            description = "The demo tenant: acme, globex or paynow (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(
            names = "--service",
            defaultValue = "checkout",
            description = "One of the tenant's demo services (default: ${DEFAULT-VALUE}).")
    String service;

    @Option(
            names = "--metric",
            defaultValue = "orders.placed",
            description = "The counter that explodes (default: ${DEFAULT-VALUE}, which acme's checkout also sends).")
    String metric;

    @Option(
            names = "--attribute",
            defaultValue = "cart.id",
            description = "The attribute that takes a new value per data point (default: ${DEFAULT-VALUE}).")
    String attribute;

    @Option(
            names = "--series",
            defaultValue = "5000",
            paramLabel = "<n>",
            description = "How many series (distinct values) to create, at most " + MAX_SERIES
                    + " (default: ${DEFAULT-VALUE}).")
    int series;

    @Option(
            names = "--rate",
            defaultValue = "100",
            paramLabel = "<series per second>",
            description = "How fast new series appear (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--minutes",
            defaultValue = "5",
            paramLabel = "<minutes>",
            description = "How long to run; the series keep being exported every 10 s until then "
                    + "(default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(
            names = "--endpoint",
            defaultValue = "http://localhost:4317",
            description = "The bridge's OTLP/gRPC endpoint (default: ${DEFAULT-VALUE}).")
    String endpoint;

    @Spec
    CommandSpec spec;

    /** How often the SDK exports (not an option: tests shorten it). */
    Duration exportInterval = EXPORT_INTERVAL;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<String> problem = problem();
        if (problem.isPresent()) {
            err.println("otlp-governor: " + problem.get());
            return 2;
        }
        DemoTenant demoTenant = demoTenant().orElseThrow();
        Explosion.Plan plan = new Explosion.Plan(
                demoTenant, service, metric, attribute, series, rate, Duration.ofMillis(Math.round(minutes * 60_000)));
        out.println("Exploding " + tenant + "'s metric " + metric + " (service " + service + "): " + count(series)
                + " series, each with a new " + attribute + ", " + plain(rate) + " new series per second, for "
                + plain(minutes) + (minutes == 1 ? " minute" : " minutes") + ", to " + endpoint + ". Ctrl-C stops.");
        out.flush();
        Handler sdkMessages = sdkMessagesTo(err);
        Explosion explosion = null;
        CountDownLatch finished = new CountDownLatch(1);
        Thread interrupted = null;
        AtomicBoolean hookRan = new AtomicBoolean();
        try {
            OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder()
                    .setEndpoint(endpoint)
                    .addHeader("authorization", "Bearer " + demoTenant.apiKey())
                    // Cumulative temporality: the next export carries every series again, so none is retried.
                    .setRetryPolicy(null)
                    .build();
            Explosion started = Explosion.start(plan, exporter, exportInterval, (progress, success, points) -> {
                out.println(LocalTime.now().format(CLOCK) + "  " + count(progress.series()) + " of " + count(series)
                        + " series so far; export of " + count(points) + " data points "
                        + (success ? "accepted" : "failed"));
                out.flush();
                // Nothing accepted yet: the bridge is not there, or does not know the key. No use going on.
                return success || progress.exports() > progress.failedExports();
            });
            explosion = started;
            interrupted = new Thread(
                    () -> {
                        hookRan.set(true);
                        started.stop();
                        try {
                            finished.await(40, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "demo-explosion-stop");
            Runtime.getRuntime().addShutdownHook(interrupted);
            started.awaitEnd();
            started.close();
            Explosion.Progress sent = started.progress();
            if (sent.exports() == sent.failedExports()) {
                err.println("otlp-governor: nothing was sent: the bridge at " + endpoint
                        + " did not accept the export (is ./otlp-governor local --demo running there?)");
                return 1;
            }
            out.println("Sent " + count(sent.series()) + " series of " + metric + " in " + count(sent.exports())
                    + " exports (" + count(sent.failedExports()) + " failed). What " + tenant
                    + "'s limits did is in governor_usage (type cardinality) a minute later; "
                    + "notebooks/governance-overview.ipynb plots it.");
            return sent.failedExports() == 0 ? 0 : 1;
        } finally {
            if (explosion != null) {
                explosion.close();
            }
            out.flush();
            err.flush();
            finished.countDown();
            if (interrupted != null && !hookRan.get()) {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            }
            SDK_LOGGER.removeHandler(sdkMessages);
            SDK_LOGGER.setUseParentHandlers(true);
        }
    }

    /** What is wrong with the options, if anything: one line naming the option. */
    Optional<String> problem() {
        Optional<DemoTenant> demoTenant = demoTenant();
        if (demoTenant.isEmpty()) {
            return Optional.of("--tenant must be a demo tenant (" + String.join(", ", DemoTenant.ids()) + "), not '"
                    + tenant + "'");
        }
        List<String> services = demoTenant.get().scenario().services();
        if (!services.contains(service)) {
            return Optional.of("--service must be one of " + tenant + "'s demo services (" + String.join(", ", services)
                    + "), not '" + service + "'");
        }
        if (!INSTRUMENT_NAME.matcher(metric).matches()) {
            return Optional.of("--metric must be an OpenTelemetry instrument name (a letter, then up to 254 letters, "
                    + "digits, '_', '.', '-' or '/'), not '" + metric + "'");
        }
        if (!ATTRIBUTE_KEY.matcher(attribute).matches()) {
            return Optional.of("--attribute must be an attribute key (a letter, then up to 254 letters, digits, '_', "
                    + "'.' or '-'), not '" + attribute + "'");
        }
        if (series < 1 || series > MAX_SERIES) {
            return Optional.of("--series must be from 1 to " + count(MAX_SERIES));
        }
        if (!(rate > 0 && rate <= MAX_RATE)) {
            return Optional.of(
                    "--rate must be above 0 and at most " + count((long) MAX_RATE) + " new series per second");
        }
        if (!(minutes > 0 && minutes <= MAX_MINUTES)) {
            return Optional.of("--minutes must be above 0 and at most " + plain(MAX_MINUTES));
        }
        double rampMinutes = series / rate / 60;
        if (rampMinutes > minutes) {
            return Optional.of("--series " + series + " at --rate " + plain(rate) + " takes "
                    + String.format(Locale.ROOT, "%.1f", rampMinutes) + " minutes, longer than --minutes "
                    + plain(minutes) + ": raise --rate or --minutes");
        }
        if (!isHttpUrl(endpoint)) {
            return Optional.of("--endpoint must be an http:// or https:// URL such as http://localhost:4317, not '"
                    + endpoint + "'");
        }
        return Optional.empty();
    }

    private Optional<DemoTenant> demoTenant() {
        return DemoTenant.all().stream().filter(t -> t.id().equals(tenant)).findFirst();
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null
                    && (uri.getPath() == null
                            || uri.getPath().isEmpty()
                            || uri.getPath().equals("/"));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * The SDK's own warnings (an export that failed, and why) as one line each on {@code err}, instead of
     * java.util.logging's two-line records with stack traces on the console.
     */
    private static Handler sdkMessagesTo(PrintWriter err) {
        Handler handler = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                // The exporters say what failed; the metric reader's "Exporter failed" after them adds nothing.
                if (record.getLevel().intValue() >= Level.WARNING.intValue()
                        && record.getLoggerName() != null
                        && record.getLoggerName().startsWith("io.opentelemetry.exporter")) {
                    String message =
                            formatter.formatMessage(record).lines().findFirst().orElse("");
                    err.println("otlp-governor: " + message + cause(record.getThrown()));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        };
        SDK_LOGGER.setUseParentHandlers(false);
        SDK_LOGGER.addHandler(handler);
        return handler;
    }

    /** The innermost message of {@code thrown}, as " (message)", or nothing. */
    private static String cause(Throwable thrown) {
        String message = null;
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage().lines().findFirst().orElse("");
            }
        }
        return message == null ? "" : " (" + message + ")";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A number as written: 5, 0.5, 12.5. */
    private static String plain(double n) {
        return BigDecimal.valueOf(n).stripTrailingZeros().toPlainString();
    }
}
