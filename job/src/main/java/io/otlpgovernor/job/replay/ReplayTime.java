package io.otlpgovernor.job.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A point in time for {@code rules replay}: ISO-8601 ({@code 2026-12-07T10:00:00Z}), {@code now}, or relative ({@code -24h}). */
public final class ReplayTime {

    private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})(s|m|h|d)");

    private ReplayTime() {}

    /** {@code text} as an instant, relative ones counted back from {@code now}. */
    public static Instant parse(String text, Instant now, String option) {
        String trimmed = text.trim();
        if (trimmed.equals("now")) {
            return now;
        }
        Matcher relative = RELATIVE.matcher(trimmed);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration back = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return now.minus(back);
        }
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + text
                    + ": expected a time such as 2026-12-07T10:00:00Z, now, or one relative to now such as -30m,"
                    + " -24h or -7d");
        }
    }
}
