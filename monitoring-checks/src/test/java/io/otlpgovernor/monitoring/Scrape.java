package io.otlpgovernor.monitoring;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names in a Prometheus text-format scrape: the names of its samples (a family declared without samples does not count). */
final class Scrape {

    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[\\s{]");

    private Scrape() {}

    static Set<String> metricNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE_NAME.matcher(line);
            if (sample.find()) {
                names.add(sample.group(1));
            }
        }
        return names;
    }

    /** Whether the scrape has a sample of {@code name} whose labels include {@code labelPair} (e.g. {@code outcome="keep"}). */
    static boolean hasSample(String text, String name, String labelPair) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labelPair)) {
                return true;
            }
        }
        return false;
    }
}
