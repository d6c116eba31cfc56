package io.otlpgovernor.monitoring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The label matchers of a query's selectors, checked against a scrape: a matcher on a label the metric does not
 * have, or an exact value ({@code reason="quota"}) no sample has, matches nothing, and the panel or alert stays
 * empty. Labels Prometheus adds to every series of a target (namespace, job, instance …) are not in a scrape and are
 * not checked; neither are regular-expression and negative matchers, whose values need not occur.
 */
final class SelectorLabels {

    static final Set<String> TARGET_LABELS =
            Set.of("namespace", "job", "instance", "pod", "container", "service", "endpoint");

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER =
            Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"((?:\\\\.|[^\"\\\\])*)\"");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)}\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:\\\\.|[^\"\\\\])*)\"");

    /** Per metric name, the label sets of its samples. */
    private final Map<String, List<Map<String, String>>> samples = new HashMap<>();

    /** The samples of one or more scrapes in Prometheus' text format. */
    SelectorLabels(String... scrapes) {
        for (String scrape : scrapes) {
            for (String line : scrape.split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (sample.find()) {
                    samples.computeIfAbsent(sample.group(1), n -> new ArrayList<>())
                            .add(labels(sample.group(2)));
                }
            }
        }
    }

    /** What in {@code query}'s selectors matches no sample, one line each; empty when every matcher can match. */
    List<String> problems(Query query) {
        List<String> problems = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(query.expr());
        while (selector.find()) {
            List<Map<String, String>> series = samples.get(selector.group(1));
            if (series == null) {
                continue; // a missing name is MetricReferences' finding
            }
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                String value = matcher.group(3);
                if (TARGET_LABELS.contains(label) || label.equals("__name__")) {
                    continue;
                }
                if (series.stream().noneMatch(s -> s.containsKey(label))) {
                    problems.add(selector.group(1) + " has no label " + label + " — used by " + query.where());
                } else if (matcher.group(2).equals("=") && series.stream().noneMatch(s -> value.equals(s.get(label)))) {
                    problems.add(selector.group(1) + " has no sample with " + label + "=\"" + value + "\" — used by "
                            + query.where());
                }
            }
        }
        return problems;
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }
}
