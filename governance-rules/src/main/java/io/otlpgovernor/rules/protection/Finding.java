package io.otlpgovernor.rules.protection;

/**
 * One kind of thing the engine did: which rule found what label on which field, and what it did. Never holds the
 * value that was found.
 *
 * @param rule      detector or pattern id ({@code sensitive-key-name} for key names)
 * @param label     the label attached
 * @param action    what was done
 * @param fieldPath where, e.g. {@code span.attributes[user.email]}, {@code log.body}, {@code span.name}
 */
public record Finding(String rule, String label, Action action, String fieldPath) {}
