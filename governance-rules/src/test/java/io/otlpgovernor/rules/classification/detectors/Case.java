package io.otlpgovernor.rules.classification.detectors;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One detector test case: a text and the exact ranges the detector must find in it (none for a negative case).
 * Failures show each range with the substring it covers.
 */
record Case(String text, List<Detector.Match> expected) {

    /** Expects matches at the given start/end pairs. */
    static Case at(String text, int... startEnd) {
        if (startEnd.length % 2 != 0) {
            throw new IllegalArgumentException("start/end pairs expected");
        }
        List<Detector.Match> expected = new ArrayList<>();
        for (int i = 0; i < startEnd.length; i += 2) {
            expected.add(new Detector.Match(startEnd[i], startEnd[i + 1]));
        }
        return new Case(text, expected);
    }

    /** Expects exactly these values, located left to right in the text. */
    static Case of(String text, String... values) {
        List<Detector.Match> expected = new ArrayList<>();
        int from = 0;
        for (String value : values) {
            int at = text.indexOf(value, from);
            if (at < 0) {
                throw new IllegalArgumentException("test bug: '" + value + "' not in '" + text + "'");
            }
            expected.add(new Detector.Match(at, at + value.length()));
            from = at + value.length();
        }
        return new Case(text, expected);
    }

    /** Expects the whole text to be one match. */
    static Case whole(String text) {
        return of(text, text);
    }

    /** Expects no match. */
    static Case none(String text) {
        return new Case(text, List.of());
    }

    void check(Detector detector) {
        List<Detector.Match> found = detector.find(text);
        assertThat(describe(found)).as("%s in \"%s\"", detector.id(), text).isEqualTo(describe(expected));
        assertThat(detector.matches(text))
                .as("%s matches \"%s\"", detector.id(), text)
                .isEqualTo(!expected.isEmpty());
    }

    private List<String> describe(List<Detector.Match> matches) {
        List<String> out = new ArrayList<>();
        for (Detector.Match m : matches) {
            String value = m.end() <= text.length() ? text.substring(m.start(), m.end()) : "<out of range>";
            out.add(m.start() + ".." + m.end() + " \"" + value + "\"");
        }
        return out;
    }

    @Override
    public String toString() {
        String shown = text.length() > 90 ? text.substring(0, 87) + "..." : text;
        return (expected.isEmpty() ? "none: " : "finds: ")
                + shown.replace("\n", "\\n").replace("\r", "\\r");
    }
}
