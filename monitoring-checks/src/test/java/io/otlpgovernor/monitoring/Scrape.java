package io.otlpgovernor.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names in a Prometheus text-format scrape: the names of its samples (a family declared without samples
 * does not count); and the values of a metric's samples.
 */
final class Scrape {

    private static final Pattern SAMPLE_NAME = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[\\s{]");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:\\\\.|[^\"\\\\])*)\"");

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

    /**
     * The values of {@code name}'s samples whose labels include every one of {@code labelPairs} (each as
     * {@code label="value"}), in the order of the scrape.
     */
    static List<Double> values(String text, String name, String... labelPairs) {
        List<Double> values = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.find()
                    && sample.group(1).equals(name)
                    && labels(sample.group(2)).containsAll(Arrays.asList(labelPairs))) {
                values.add(Double.parseDouble(sample.group(3)));
            }
        }
        return values;
    }

    private static Set<String> labels(String text) {
        Set<String> pairs = new TreeSet<>();
        if (text != null) {
            Matcher label = LABEL.matcher(text);
            while (label.find()) {
                pairs.add(label.group(1) + "=\"" + label.group(2) + "\"");
            }
        }
        return pairs;
    }
}
