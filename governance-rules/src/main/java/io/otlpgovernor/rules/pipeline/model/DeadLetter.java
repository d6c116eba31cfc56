package io.otlpgovernor.rules.pipeline.model;

/**
 * A record the job could not govern, kept with its original bytes so nothing accepted is lost.
 *
 * @param original the record as read
 * @param reason   what is wrong and where; never quotes payload content
 */
public record DeadLetter(InputRecord original, String reason) {}
