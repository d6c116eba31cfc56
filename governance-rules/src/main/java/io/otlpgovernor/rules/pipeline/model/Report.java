package io.otlpgovernor.rules.pipeline.model;

/**
 * One JSON document for a report topic (audit or usage).
 *
 * @param tenant the tenant it is about (the record key)
 * @param json   the document, UTF-8
 */
public record Report(String tenant, byte[] json) {}
