package io.otlpgovernor.rules.classification;

import java.util.Optional;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Checks custom patterns before use. They compile with RE2/J, whose matching time is linear in the input, so no
 * pattern a tenant writes can hang the job; the price is that backreferences and lookaround are not available.
 */
final class RegexCheck {

    private static final int MAX_LENGTH = 1000;

    private RegexCheck() {}

    /** Why {@code regex} cannot be used, or empty when it can. */
    static Optional<String> problem(String regex) {
        if (regex.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (regex.length() > MAX_LENGTH) {
            return Optional.of("longer than " + MAX_LENGTH + " characters");
        }
        try {
            Pattern compiled = Pattern.compile(regex);
            if (compiled.matches("")) {
                return Optional.of("matches the empty text, so it would match everywhere");
            }
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(describe(e));
        }
    }

    private static String describe(PatternSyntaxException e) {
        String description = e.getDescription();
        if (description.contains("missing closing )") || description.contains("unexpected )")) {
            return "unbalanced parenthesis";
        }
        if (description.contains("missing closing ]")) {
            return "unbalanced bracket";
        }
        if (description.contains("invalid or unsupported Perl syntax")) {
            return "unsupported syntax (RE2 has no backreferences or lookaround)";
        }
        if (description.contains("invalid escape sequence")) {
            return "invalid escape sequence";
        }
        if (description.contains("missing argument to repetition operator")) {
            return "a repetition operator (*, +, ?, {n}) has nothing to repeat";
        }
        if (description.contains("invalid nested repetition operator")) {
            return "nested repetition operators";
        }
        return "not a valid RE2 regular expression: " + description;
    }
}
