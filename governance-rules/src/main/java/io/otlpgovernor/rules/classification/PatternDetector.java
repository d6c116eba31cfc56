package io.otlpgovernor.rules.classification;

import java.util.ArrayList;
import java.util.List;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.otlpgovernor.rules.classification.detectors.Detector;

/**
 * A tenant's custom pattern, compiled once with RE2/J: matching time is linear in the text, whatever the pattern.
 * Zero-length matches are ignored (they protect nothing).
 */
public final class PatternDetector implements Detector {

    private final String id;
    private final Pattern pattern;

    public PatternDetector(String id, String regex) {
        this.id = id;
        this.pattern = Pattern.compile(regex);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<Match> find(String text) {
        Matcher matcher = pattern.matcher(text);
        List<Match> matches = null;
        while (matcher.find()) {
            if (matcher.end() > matcher.start()) {
                if (matches == null) {
                    matches = new ArrayList<>(2);
                }
                matches.add(new Match(matcher.start(), matcher.end()));
            }
        }
        return matches == null ? Match.NONE : matches;
    }
}
