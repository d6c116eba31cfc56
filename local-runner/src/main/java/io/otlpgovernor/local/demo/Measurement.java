package io.otlpgovernor.local.demo;

import io.opentelemetry.api.common.Attributes;

/**
 * A metric measurement a demo operation records: a counter increment or a histogram value.
 *
 * @param name       the instrument's name
 * @param value      the increment or the recorded value
 * @param attributes the data point's attributes
 * @param histogram  {@code true} for a histogram, {@code false} for a counter
 */
record Measurement(String name, double value, Attributes attributes, boolean histogram) {

    static Measurement counter(String name, long increment, Attributes attributes) {
        return new Measurement(name, increment, attributes, false);
    }

    static Measurement histogram(String name, double value, Attributes attributes) {
        return new Measurement(name, value, attributes, true);
    }
}
