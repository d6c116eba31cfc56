package io.otlpgovernor.local.demo;

import java.time.Duration;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;

/**
 * A log record a demo operation writes.
 *
 * @param severity   its severity
 * @param body       its text
 * @param attributes its attributes
 * @param age        how long before now it claims to have happened: zero for a record written during its operation;
 *                   more for one a client buffered and uploads late (such a record carries no trace context)
 */
record LogLine(Severity severity, String body, Attributes attributes, Duration age) {

    static LogLine info(String body) {
        return new LogLine(Severity.INFO, body, Attributes.empty(), Duration.ZERO);
    }

    static LogLine of(Severity severity, String body, Attributes attributes) {
        return new LogLine(severity, body, attributes, Duration.ZERO);
    }
}
