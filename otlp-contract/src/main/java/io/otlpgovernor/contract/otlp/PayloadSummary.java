package io.otlpgovernor.contract.otlp;

import io.otlpgovernor.contract.Signal;

/**
 * What a valid OTLP export request holds, in counts.
 *
 * @param signal    the signal of the request
 * @param resources number of resource entries ({@code resource_spans}, {@code resource_metrics}, {@code resource_logs})
 * @param items     number of spans, metric data points or log records
 */
public record PayloadSummary(Signal signal, int resources, long items) {}
