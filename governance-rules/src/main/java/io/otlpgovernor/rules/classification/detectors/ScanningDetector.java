package io.otlpgovernor.rules.classification.detectors;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Base of the built-in detectors: a cheap pre-check, then a left-to-right scanner that yields one match at a time.
 * Matches never overlap because each scan resumes where the previous match ended. Scanners are hand-written and
 * linear in the length of the text.
 */
abstract class ScanningDetector implements Detector {

    private final String id;

    ScanningDetector(String id) {
        this.id = id;
    }

    @Override
    public final String id() {
        return id;
    }

    /**
     * Cheap test, without allocation, that is false for texts which cannot contain a match: mostly on the text's
     * {@link TextProfile}, which the caller computed once for every detector.
     */
    abstract boolean mayContain(String text, long profile);

    /**
     * The first match that starts at or after {@code from}, as {@link #pack packed} start and end, or -1 when there
     * is none. Implementations look at characters before {@code from} only to check boundaries.
     */
    abstract long next(String text, int from);

    static long pack(int start, int end) {
        return ((long) start << 32) | end;
    }

    @Override
    public final List<Match> find(String text) {
        if (text == null || text.isEmpty()) {
            return Match.NONE;
        }
        return find(text, TextProfile.of(text));
    }

    @Override
    public final List<Match> find(String text, long profile) {
        if (text.isEmpty() || !mayContain(text, profile)) {
            return Match.NONE;
        }
        List<Match> found = null;
        int from = 0;
        while (from < text.length()) {
            long packed = next(text, from);
            if (packed < 0) {
                break;
            }
            int start = (int) (packed >>> 32);
            int end = (int) packed;
            if (found == null) {
                found = new ArrayList<>(2);
            }
            found.add(new Match(start, end));
            from = end;
        }
        return found == null ? Match.NONE : Collections.unmodifiableList(found);
    }

    @Override
    public final boolean matches(String text) {
        return text != null && !text.isEmpty() && mayContain(text, TextProfile.of(text)) && next(text, 0) >= 0;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + id + "]";
    }
}
