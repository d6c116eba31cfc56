package io.otlpgovernor.monitoring;

/** A PromQL expression and where it is used (for messages), e.g. {@code dashboard panel 2 "Requests" query A}. */
record Query(String where, String expr) {}
