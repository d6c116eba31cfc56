package io.otlpgovernor.rules.sampling;

import java.util.Objects;
import java.util.Optional;

/**
 * A W3C {@code tracestate} header, parsed for the OpenTelemetry entry {@code ot} and its sampling sub-keys
 * {@code th} ({@link Threshold}) and {@code rv} ({@link Randomness}). Immutable; the {@code with…} methods return
 * new values.
 *
 * <h2>What is accepted</h2>
 * <ul>
 *   <li>The header (W3C Trace Context): list members {@code key=value} separated by commas, optional spaces and
 *       tabs around each member, empty members allowed and ignored, at most {@value #MAX_MEMBERS} non-empty
 *       members. A key is 1 to 256 of {@code a-z 0-9 _ - * / @}, starting with a letter or digit (the Level 2
 *       grammar, which also admits every Level 1 key); a value is 1 to 256 printable ASCII characters other than
 *       {@code ,} and {@code =}, not ending in a space. At most one {@code ot} member. Other vendors' duplicate
 *       keys are not checked: they are not ours to judge, and they pass through.</li>
 *   <li>The {@code ot} value (OpenTelemetry {@code tracestate-handling.md}): {@code key:value} pairs joined by
 *       {@code ;}, keys {@code [a-z][a-z0-9]*} and unique, values {@code [A-Za-z0-9._-]*}, at most
 *       {@value #MAX_OT_VALUE_LENGTH} characters; {@code th} is 1 to 14 lower-case hex digits and {@code rv}
 *       exactly 14.</li>
 * </ul>
 *
 * <h2>Invalid input</h2>
 * {@link #parse} never throws on a malformed header: it returns a value that is not {@link #usable()} and says
 * why in {@link #problem()} (the shape of the fault, never the header's content). Such a value has no
 * threshold and no explicit randomness — a sampler then takes R from the trace id — and it formats as a repaired
 * header: when only the {@code ot} entry is malformed, the other members are kept and the {@code ot} entry is
 * replaced by a fresh one (holding only what a sampler sets afterwards); when the header itself is malformed,
 * nothing of it is kept, since its members cannot be told apart reliably (W3C allows discarding an unparseable
 * header).
 *
 * <h2>Formatting</h2>
 * An unmodified value formats as the header it was parsed from, byte for byte. A modified one is written
 * canonically: the {@code ot} member first (W3C: a modified member moves to the beginning), then the other
 * members in their original order, without optional whitespace or empty members. Within {@code ot}, {@code th}
 * and {@code rv} come first, then the unknown sub-keys in their original order (the spec does not require
 * keeping the order). If rewriting {@code th} would push the {@code ot} value past 256 characters, the unknown
 * sub-keys are dropped rather than the threshold, because a stale {@code th} would misstate the probability. If
 * adding an {@code ot} member would make 33 members, one other member is dropped as W3C advises: the last one
 * longer than 128 characters, or else the last one.
 */
public final class OtelTraceState {

    /** The most list members a {@code tracestate} may have. */
    public static final int MAX_MEMBERS = 32;
    /** The longest {@code ot} value. */
    public static final int MAX_OT_VALUE_LENGTH = 256;
    /** Headers longer than this are rejected without being read: 32 members of 513 characters, and slack. */
    static final int MAX_HEADER_LENGTH = 32_768;

    /** The empty tracestate. */
    public static final OtelTraceState EMPTY = new OtelTraceState("", null, true, 0, -1, -1, "", false);

    private static final int MAX_KEY_LENGTH = 256;
    private static final int MAX_VALUE_LENGTH = 256;
    private static final int LONG_MEMBER = 128;

    /** The header as received; {@code ""} for values built from log attributes. */
    private final String header;
    /** Why the input was unusable, or null. */
    private final String problem;
    /** Whether the other vendors' members of {@code header} are kept (false when the header is malformed). */
    private final boolean keepOthers;
    /** Non-empty members of {@code header} other than {@code ot}. */
    private final int otherMembers;
    /** T, or -1 when there is no {@code th}. */
    private final long threshold;
    /** The explicit R, or -1 when there is no {@code rv}. */
    private final long randomness;
    /** Unknown {@code ot} sub-keys as {@code k:v;k:v}, or {@code ""}. */
    private final String otExtras;
    /** Whether this value differs from {@code header}. */
    private final boolean modified;

    private OtelTraceState(
            String header,
            String problem,
            boolean keepOthers,
            int otherMembers,
            long threshold,
            long randomness,
            String otExtras,
            boolean modified) {
        this.header = header;
        this.problem = problem;
        this.keepOthers = keepOthers;
        this.otherMembers = otherMembers;
        this.threshold = threshold;
        this.randomness = randomness;
        this.otExtras = otExtras;
        this.modified = modified;
    }

    /**
     * Parses a W3C {@code tracestate} header (as in an OTLP span's {@code trace_state}). Never throws for
     * malformed input; see the class description.
     */
    public static OtelTraceState parse(String header) {
        Objects.requireNonNull(header, "header");
        if (header.isEmpty()) {
            return EMPTY;
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            return malformedHeader(
                    "tracestate has " + header.length() + " characters; at most " + MAX_HEADER_LENGTH + " are read");
        }
        int members = 0;
        int otStart = -1;
        int otEnd = -1;
        int n = header.length();
        for (int pos = 0; pos <= n; ) {
            int comma = header.indexOf(',', pos);
            int end = comma < 0 ? n : comma;
            int start = pos;
            while (start < end && isOws(header.charAt(start))) {
                start++;
            }
            while (end > start && isOws(header.charAt(end - 1))) {
                end--;
            }
            if (start < end) {
                members++;
                if (members > MAX_MEMBERS) {
                    return malformedHeader("tracestate has more than " + MAX_MEMBERS + " list members");
                }
                int eq = indexOf(header, '=', start, end);
                if (eq < 0) {
                    return malformedHeader("tracestate list member " + members + " has no '='");
                }
                String keyProblem = keyProblem(header, start, eq);
                if (keyProblem != null) {
                    return malformedHeader(
                            "tracestate list member " + members + " has a malformed key (" + keyProblem
                                    + "); expected 1 to 256 of a-z, 0-9, '_', '-', '*', '/', '@', starting with a letter or digit");
                }
                String valueProblem = valueProblem(header, eq + 1, end);
                if (valueProblem != null) {
                    return malformedHeader("tracestate list member " + members + " has a malformed value ("
                            + valueProblem + "); expected 1 to 256 printable ASCII characters other than ',' and '='");
                }
                if (eq - start == 2 && header.charAt(start) == 'o' && header.charAt(start + 1) == 't') {
                    if (otStart >= 0) {
                        return malformedHeader("tracestate has more than one ot member");
                    }
                    otStart = eq + 1;
                    otEnd = end;
                }
            }
            pos = comma < 0 ? n + 1 : comma + 1;
        }
        if (otStart < 0) {
            return new OtelTraceState(header, null, true, members, -1, -1, "", false);
        }
        return parseOt(header, otStart, otEnd, members - 1);
    }

    private static OtelTraceState parseOt(String header, int otStart, int otEnd, int otherMembers) {
        // otEnd - otStart <= 256 = MAX_OT_VALUE_LENGTH: the W3C value limit checked above.
        long threshold = -1;
        long randomness = -1;
        StringBuilder extras = null;
        int index = 0;
        for (int pos = otStart; ; ) {
            index++;
            int semicolon = indexOf(header, ';', pos, otEnd);
            int end = semicolon < 0 ? otEnd : semicolon;
            int colon = indexOf(header, ':', pos, end);
            if (colon < 0) {
                return malformedOt(header, otherMembers, "ot entry: sub-key " + index + " has no ':'");
            }
            if (!isOtKey(header, pos, colon)) {
                return malformedOt(
                        header,
                        otherMembers,
                        "ot entry: sub-key " + index + " has a malformed name; expected a-z followed by a-z, 0-9");
            }
            if (!isOtValue(header, colon + 1, end)) {
                return malformedOt(
                        header,
                        otherMembers,
                        "ot entry: sub-key " + index + " has a malformed value; expected A-Z, a-z, 0-9, '.', '_', '-'");
            }
            if (isKey(header, pos, colon, "th")) {
                if (threshold >= 0) {
                    return malformedOt(header, otherMembers, "ot entry: th appears twice");
                }
                threshold = Hex56.parseThreshold(header, colon + 1, end);
                if (threshold < 0) {
                    return malformedOt(
                            header, otherMembers, Threshold.problem(header, colon + 1, end, "ot entry: th value"));
                }
            } else if (isKey(header, pos, colon, "rv")) {
                if (randomness >= 0) {
                    return malformedOt(header, otherMembers, "ot entry: rv appears twice");
                }
                randomness = Hex56.parseRandomness(header, colon + 1, end);
                if (randomness < 0) {
                    return malformedOt(
                            header, otherMembers, Randomness.problem(header, colon + 1, end, "ot entry: rv value"));
                }
            } else {
                if (keyAppearsBefore(header, otStart, pos, colon)) {
                    return malformedOt(
                            header, otherMembers, "ot entry: sub-key " + index + " repeats an earlier sub-key");
                }
                if (extras == null) {
                    extras = new StringBuilder(end - pos);
                } else {
                    extras.append(';');
                }
                extras.append(header, pos, end);
            }
            if (semicolon < 0) {
                break;
            }
            pos = semicolon + 1;
        }
        return new OtelTraceState(
                header,
                null,
                true,
                otherMembers,
                threshold,
                randomness,
                extras == null ? "" : extras.toString(),
                false);
    }

    /**
     * The sampling values OpenTelemetry puts on a log record, read from its {@code sampling.threshold} and
     * {@code sampling.randomness} attributes (the Collector's convention; the same forms as {@code th} and
     * {@code rv}). Pass {@code ""} for an attribute that is absent. A malformed attribute makes the value
     * unusable, as a malformed {@code ot} entry does.
     */
    public static OtelTraceState ofLogAttributes(String samplingThreshold, String samplingRandomness) {
        long threshold = -1;
        long randomness = -1;
        if (!samplingThreshold.isEmpty()) {
            threshold = Hex56.parseThreshold(samplingThreshold, 0, samplingThreshold.length());
            if (threshold < 0) {
                return malformedLogAttributes(Threshold.problem(
                        samplingThreshold,
                        0,
                        samplingThreshold.length(),
                        ConsistentDecision.SAMPLING_THRESHOLD_ATTRIBUTE + " attribute"));
            }
        }
        if (!samplingRandomness.isEmpty()) {
            randomness = Hex56.parseRandomness(samplingRandomness, 0, samplingRandomness.length());
            if (randomness < 0) {
                return malformedLogAttributes(Randomness.problem(
                        samplingRandomness,
                        0,
                        samplingRandomness.length(),
                        ConsistentDecision.SAMPLING_RANDOMNESS_ATTRIBUTE + " attribute"));
            }
        }
        if (threshold < 0 && randomness < 0) {
            return EMPTY;
        }
        return new OtelTraceState("", null, false, 0, threshold, randomness, "", false);
    }

    private static OtelTraceState malformedHeader(String problem) {
        return new OtelTraceState("", problem, false, 0, -1, -1, "", true);
    }

    private static OtelTraceState malformedOt(String header, int otherMembers, String problem) {
        return new OtelTraceState(header, problem, true, otherMembers, -1, -1, "", true);
    }

    private static OtelTraceState malformedLogAttributes(String problem) {
        return new OtelTraceState("", problem, false, 0, -1, -1, "", true);
    }

    /** Why the input was unusable, or null; allocation-free for the sampler. */
    String problemText() {
        return problem;
    }

    /** Whether the input could be read; see {@link #problem()}. */
    public boolean usable() {
        return problem == null;
    }

    /** Why the input was unusable (its shape, never its content), or empty when it was usable. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The {@code th} threshold, if there is one. */
    public Optional<Threshold> threshold() {
        return threshold < 0 ? Optional.empty() : Optional.of(new Threshold(threshold));
    }

    /** The explicit randomness {@code rv}, if there is one. */
    public Optional<Randomness> randomness() {
        return randomness < 0 ? Optional.empty() : Optional.of(new Randomness(randomness));
    }

    /** T, or -1 when there is no {@code th}; allocation-free for the sampler. */
    long thresholdValue() {
        return threshold;
    }

    /** The explicit R, or -1 when there is no {@code rv}; allocation-free for the sampler. */
    long randomnessValue() {
        return randomness;
    }

    /** Whether {@link #format()} differs from the header this value was parsed from. */
    public boolean modified() {
        return modified;
    }

    /** This tracestate with {@code th} set to {@code threshold}. */
    public OtelTraceState withThreshold(Threshold threshold) {
        return withThresholdValue(threshold.value());
    }

    OtelTraceState withThresholdValue(long value) {
        if (value == threshold && problem == null) {
            return this;
        }
        return new OtelTraceState(header, null, keepOthers, otherMembers, value, randomness, otExtras, true);
    }

    /** This tracestate without {@code th}: for a stage after which the sampling probability is unknown. */
    public OtelTraceState withoutThreshold() {
        if (threshold < 0 && problem == null) {
            return this;
        }
        return new OtelTraceState(header, null, keepOthers, otherMembers, -1, randomness, otExtras, true);
    }

    /**
     * This tracestate with {@code rv} set to {@code randomness}.
     *
     * @throws IllegalStateException when it already has a different {@code rv}: OpenTelemetry forbids changing
     *                               the explicit randomness of a trace
     */
    public OtelTraceState withRandomness(Randomness randomness) {
        if (this.randomness == randomness.value() && problem == null) {
            return this;
        }
        if (this.randomness >= 0 && this.randomness != randomness.value()) {
            throw new IllegalStateException(
                    "the tracestate already has a different rv; explicit randomness must not change");
        }
        return new OtelTraceState(
                header, null, keepOthers, otherMembers, threshold, randomness.value(), otExtras, true);
    }

    /**
     * The {@code ot} value as this value would write it ({@code th}, {@code rv}, then the unknown sub-keys), or
     * {@code ""} when there is nothing to write.
     */
    public String otValue() {
        if (threshold < 0 && randomness < 0 && otExtras.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(MAX_OT_VALUE_LENGTH);
        if (threshold >= 0) {
            out.append("th:").append(Hex56.trimmed(threshold));
        }
        if (randomness >= 0) {
            if (!out.isEmpty()) {
                out.append(';');
            }
            out.append("rv:").append(Hex56.full(randomness));
        }
        if (!otExtras.isEmpty()) {
            int separator = out.isEmpty() ? 0 : 1;
            // Unknown sub-keys give way to th and rv when all would not fit (see the class description).
            if (out.length() + separator + otExtras.length() <= MAX_OT_VALUE_LENGTH) {
                if (separator == 1) {
                    out.append(';');
                }
                out.append(otExtras);
            }
        }
        return out.toString();
    }

    /**
     * The header to send on: the received one when nothing changed, otherwise the canonical form described in
     * the class description ({@code ""} when nothing is left).
     */
    public String format() {
        if (!modified) {
            return header;
        }
        String ot = otValue();
        boolean writeOt = !ot.isEmpty();
        StringBuilder out = new StringBuilder(header.length() + ot.length() + 4);
        if (writeOt) {
            out.append("ot=").append(ot);
        }
        if (keepOthers && otherMembers > 0) {
            int dropped = writeOt && otherMembers >= MAX_MEMBERS ? memberToDrop() : -1;
            appendOtherMembers(out, dropped);
        }
        return out.toString();
    }

    /** The index, among the other members, of the one to drop to make room for {@code ot}. */
    private int memberToDrop() {
        int index = -1;
        int lastLong = -1;
        int n = header.length();
        for (int pos = 0; pos <= n; ) {
            int comma = header.indexOf(',', pos);
            int end = comma < 0 ? n : comma;
            int start = trimStart(pos, end);
            end = trimEnd(start, end);
            if (start < end && !isOtMember(start, end)) {
                index++;
                if (end - start > LONG_MEMBER) {
                    lastLong = index;
                }
            }
            pos = comma < 0 ? n + 1 : comma + 1;
        }
        return lastLong >= 0 ? lastLong : index;
    }

    private void appendOtherMembers(StringBuilder out, int dropped) {
        int index = -1;
        int n = header.length();
        for (int pos = 0; pos <= n; ) {
            int comma = header.indexOf(',', pos);
            int end = comma < 0 ? n : comma;
            int start = trimStart(pos, end);
            end = trimEnd(start, end);
            if (start < end && !isOtMember(start, end)) {
                index++;
                if (index != dropped) {
                    if (!out.isEmpty()) {
                        out.append(',');
                    }
                    out.append(header, start, end);
                }
            }
            pos = comma < 0 ? n + 1 : comma + 1;
        }
    }

    private int trimStart(int start, int end) {
        while (start < end && isOws(header.charAt(start))) {
            start++;
        }
        return start;
    }

    private int trimEnd(int start, int end) {
        while (end > start && isOws(header.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    private boolean isOtMember(int start, int end) {
        return end - start >= 3
                && header.charAt(start) == 'o'
                && header.charAt(start + 1) == 't'
                && header.charAt(start + 2) == '=';
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    private static int indexOf(String text, char c, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Why the W3C key in {@code text[start, end)} is malformed, or null. */
    private static String keyProblem(String text, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return "empty";
        }
        if (length > MAX_KEY_LENGTH) {
            return length + " characters";
        }
        char first = text.charAt(start);
        if (!(first >= 'a' && first <= 'z' || first >= '0' && first <= '9')) {
            return "bad first character";
        }
        for (int i = start + 1; i < end; i++) {
            char c = text.charAt(i);
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '-'
                    || c == '*'
                    || c == '/'
                    || c == '@';
            if (!ok) {
                return "bad character at position " + (i - start + 1);
            }
        }
        return null;
    }

    /** Why the W3C value in {@code text[start, end)} is malformed, or null. Trailing OWS is already trimmed. */
    private static String valueProblem(String text, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return "empty";
        }
        if (length > MAX_VALUE_LENGTH) {
            return length + " characters";
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ',' || c == '=') {
                return "bad character at position " + (i - start + 1);
            }
        }
        return null;
    }

    private static boolean isOtKey(String text, int start, int end) {
        if (start == end) {
            return false;
        }
        char first = text.charAt(start);
        if (first < 'a' || first > 'z') {
            return false;
        }
        for (int i = start + 1; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOtValue(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '_'
                    || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKey(String text, int start, int end, String key) {
        return end - start == key.length() && text.startsWith(key, start);
    }

    /** Whether the sub-key {@code text[keyStart, keyEnd)} already appeared in {@code text[otStart, keyStart)}. */
    private static boolean keyAppearsBefore(String text, int otStart, int keyStart, int keyEnd) {
        int length = keyEnd - keyStart;
        for (int pos = otStart; pos < keyStart; ) {
            int colon = text.indexOf(':', pos);
            if (colon - pos == length && text.regionMatches(pos, text, keyStart, length)) {
                return true;
            }
            pos = text.indexOf(';', colon) + 1;
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OtelTraceState that
                && format().equals(that.format())
                && Objects.equals(problem, that.problem);
    }

    @Override
    public int hashCode() {
        return format().hashCode();
    }

    /** The sampling fields and the header's size; never the other vendors' values. */
    @Override
    public String toString() {
        return "OtelTraceState[" + (threshold < 0 ? "no th" : "th:" + Hex56.trimmed(threshold))
                + (randomness < 0 ? ", no rv" : ", rv:" + Hex56.full(randomness))
                + ", " + otherMembers + " other member(s)"
                + (problem == null ? "" : ", unusable: " + problem) + "]";
    }
}
