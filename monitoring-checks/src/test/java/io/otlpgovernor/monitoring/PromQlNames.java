package io.otlpgovernor.monitoring;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads. Not a parser: it blanks out what cannot hold a metric name (string
 * literals, label matchers, ranges, grouping label lists, comments), then takes every identifier that is not a
 * keyword and not followed by {@code (} (functions and aggregations are). {@code {__name__="x"}} selectors count too.
 */
final class PromQlNames {

    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern COMMENT = Pattern.compile("#[^\n]*");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    // A number or duration first (so the "m" of "5m" is not taken for a name), else an identifier.
    private static final Pattern TOKEN = Pattern.compile("(\\d[\\w.]*)|([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final Set<String> KEYWORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "atan2",
            "inf",
            "nan");

    private PromQlNames() {}

    static Set<String> in(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher byName = NAME_MATCHER.matcher(expr);
        while (byName.find()) {
            names.add(byName.group(1));
        }
        String code = blankOut(expr);
        Matcher token = TOKEN.matcher(code);
        while (token.find()) {
            String identifier = token.group(2);
            if (identifier != null
                    && !KEYWORDS.contains(identifier.toLowerCase(Locale.ROOT))
                    && !calledAt(code, token.end())) {
                names.add(identifier);
            }
        }
        return names;
    }

    /** The expression without anything that cannot be a metric name; braces and brackets stay, empty. */
    private static String blankOut(String expr) {
        String code = STRING.matcher(expr).replaceAll("\"\"");
        code = COMMENT.matcher(code).replaceAll(" ");
        code = MATCHERS.matcher(code).replaceAll("{}");
        code = RANGE.matcher(code).replaceAll("[]");
        return GROUPING.matcher(code).replaceAll(" ");
    }

    /** Whether the next non-blank character from {@code index} opens a call. */
    private static boolean calledAt(String code, int index) {
        for (int i = index; i < code.length(); i++) {
            char c = code.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '(';
            }
        }
        return false;
    }
}
