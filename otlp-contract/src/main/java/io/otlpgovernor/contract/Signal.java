package io.otlpgovernor.contract;

import java.util.Arrays;
import java.util.Optional;

/**
 * The three OpenTelemetry signals, with the names the OpenTelemetry Collector's Kafka exporter uses for them.
 * The input topic names are the Collector's defaults, so a Collector's kafkaexporter can feed the job directly.
 */
public enum Signal {
    SPANS("spans", "otlp_spans", "spans"),
    METRICS("metrics", "otlp_metrics", "data points"),
    LOGS("logs", "otlp_logs", "log records");

    private final String id;
    private final String inputTopic;
    private final String itemName;

    Signal(String id, String inputTopic, String itemName) {
        this.id = id;
        this.inputTopic = inputTopic;
        this.itemName = itemName;
    }

    /** Lower-case name used in topic names, headers and metric labels: {@code spans}, {@code metrics}, {@code logs}. */
    public String id() {
        return id;
    }

    /** The Kafka topic the bridge writes this signal to. */
    public String inputTopic() {
        return inputTopic;
    }

    /** What one counted item of this signal is called in messages: spans, data points, log records. */
    public String itemName() {
        return itemName;
    }

    /** The signal whose input topic is {@code topic}, if any. */
    public static Optional<Signal> forInputTopic(String topic) {
        return Arrays.stream(values()).filter(s -> s.inputTopic.equals(topic)).findFirst();
    }

    /** The signal called {@code id} ({@code spans}, {@code metrics}, {@code logs}), if any. */
    public static Optional<Signal> forId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
