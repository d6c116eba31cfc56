package io.otlpgovernor.contract.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations written in configuration files: a whole number and a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses {@code text} such as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 30d}.
     *
     * @throws IllegalArgumentException naming {@code what} when the text is not of that form
     */
    public static Duration parse(String text, String what) {
        Matcher m = text == null ? null : FORMAT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException(what + ": expected a duration such as 500ms, 10s, 5m, 1h or 30d");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }
}
