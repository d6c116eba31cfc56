package io.otlpgovernor.rules.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OtelTraceStateTest {

    private static final String RV = "6e6d1a75832a2f";

    @Test
    void anEmptyHeaderIsTheEmptyState() {
        OtelTraceState state = OtelTraceState.parse("");

        assertThat(state).isSameAs(OtelTraceState.EMPTY);
        assertThat(state.usable()).isTrue();
        assertThat(state.threshold()).isEmpty();
        assertThat(state.randomness()).isEmpty();
        assertThat(state.format()).isEmpty();
        assertThat(state.modified()).isFalse();
    }

    @Test
    void readsThAndRv() {
        OtelTraceState state = OtelTraceState.parse("ot=th:8;rv:" + RV);

        assertThat(state.usable()).isTrue();
        assertThat(state.problem()).isEmpty();
        assertThat(state.threshold()).contains(Threshold.parse("8"));
        assertThat(state.randomness()).contains(Randomness.parse(RV));
    }

    @Test
    void readsTheOtMemberAmongOtherVendors() {
        OtelTraceState state = OtelTraceState.parse("rojo=00f067aa0ba902b7, ot=p:8;th:c ,congo=t61rcWkgMzE");

        assertThat(state.usable()).isTrue();
        assertThat(state.threshold()).contains(Threshold.parse("c"));
        assertThat(state.randomness()).isEmpty();
    }

    @Test
    void anUnmodifiedStateFormatsAsTheHeaderItCameFrom() {
        String header = " rojo=00f067aa0ba902b7 ,, ot=th:80;k1:13\t,congo=t61rcWkgMzE ";
        OtelTraceState state = OtelTraceState.parse(header);

        assertThat(state.format()).isSameAs(header);
        assertThat(state.withThreshold(Threshold.parse("8"))).isSameAs(state);
        assertThat(state.withRandomness(Randomness.parse(RV)).format()).isNotEqualTo(header);
    }

    @Test
    void settingThMovesTheOtMemberToTheFrontAndKeepsEverythingElseInOrder() {
        OtelTraceState state = OtelTraceState.parse("rojo=00f067aa0ba902b7,ot=p:8;th:8;k1:13,congo=t61rcWkgMzE");

        OtelTraceState updated = state.withThreshold(Threshold.parse("c"));

        assertThat(updated.modified()).isTrue();
        assertThat(updated.format()).isEqualTo("ot=th:c;p:8;k1:13,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(updated.threshold()).contains(Threshold.parse("c"));
    }

    @Test
    void aModifiedStateIsWrittenWithoutOptionalWhitespaceOrEmptyMembers() {
        OtelTraceState state = OtelTraceState.parse(" rojo=00f067aa0ba902b7 ,, \t congo= t61rcWkgMzE\t, ");

        assertThat(state.withThreshold(Threshold.parse("8")).format())
                .isEqualTo("ot=th:8,rojo=00f067aa0ba902b7,congo= t61rcWkgMzE");
    }

    @Test
    void addsAnOtMemberToAHeaderWithoutOne() {
        assertThat(OtelTraceState.EMPTY.withThreshold(Threshold.parse("fd70a")).format())
                .isEqualTo("ot=th:fd70a");
        assertThat(OtelTraceState.parse("congo=x")
                        .withThreshold(Threshold.ALWAYS)
                        .format())
                .isEqualTo("ot=th:0,congo=x");
    }

    @Test
    void erasingThKeepsRvAndUnknownSubKeys() {
        OtelTraceState state = OtelTraceState.parse("congo=x,ot=th:8;rv:" + RV + ";k1:13");

        assertThat(state.withoutThreshold().format()).isEqualTo("ot=rv:" + RV + ";k1:13,congo=x");
        assertThat(state.withoutThreshold().threshold()).isEmpty();
    }

    @Test
    void erasingTheOnlySubKeyRemovesTheOtMember() {
        assertThat(OtelTraceState.parse("congo=x,ot=th:8").withoutThreshold().format())
                .isEqualTo("congo=x");
        assertThat(OtelTraceState.parse("ot=th:8").withoutThreshold().format()).isEmpty();
        OtelTraceState withoutTh = OtelTraceState.parse("congo=x");
        assertThat(withoutTh.withoutThreshold()).isSameAs(withoutTh);
    }

    @Test
    void setsRvOnceButNeverChangesIt() {
        OtelTraceState state = OtelTraceState.EMPTY.withRandomness(Randomness.parse(RV));

        assertThat(state.format()).isEqualTo("ot=rv:" + RV);
        assertThat(state.withRandomness(Randomness.parse(RV))).isSameAs(state);
        assertThatThrownBy(() -> state.withRandomness(new Randomness(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the tracestate already has a different rv; explicit randomness must not change");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1vendor=x",
                "tenant@vendor=x",
                "a*b/c-d_e=x",
                "k=  leading spaces are part of the value",
                "k=!\"#$%&'()*+-./:;<>?@[\\]^_`{|}~",
                "ot=th:0",
                "ot=p:8;r:62",
                "ot=foo:bar;k1:13",
                "ot=k:",
                "ot=v:A.b_C-9",
                "x@ot=th:E666"
            })
    void acceptsWellFormedHeaders(String header) {
        OtelTraceState state = OtelTraceState.parse(header);

        assertThat(state.problem()).isEmpty();
        assertThat(state.format()).isEqualTo(header);
    }

    @Test
    void acceptsThirtyTwoMembersAndIgnoresEmptyOnes() {
        String header = members(32) + ",,, ,";

        assertThat(OtelTraceState.parse(header).usable()).isTrue();
    }

    @Test
    void acceptsKeysAndValuesOf256Characters() {
        assertThat(OtelTraceState.parse("k" + "a".repeat(255) + "=" + "v".repeat(256))
                        .usable())
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "Congo=x                 | tracestate list member 1 has a malformed key (bad first character)",
                "_congo=x                | tracestate list member 1 has a malformed key (bad first character)",
                "congo=x,roJo=y          | tracestate list member 2 has a malformed key (bad character at position 3)",
                "=x                      | tracestate list member 1 has a malformed key (empty)",
                "congo                   | tracestate list member 1 has no '='",
                "congo=                  | tracestate list member 1 has a malformed value (empty)",
                "congo=a=b               | tracestate list member 1 has a malformed value (bad character at position 2)",
                "congo=a\tb              | tracestate list member 1 has a malformed value (bad character at position 2)",
                "congo=ü                 | tracestate list member 1 has a malformed value (bad character at position 1)",
                "ot=th:8,ot=th:c         | tracestate has more than one ot member",
            })
    void reportsMalformedHeadersAsUnusable(String header, String reasonStart) {
        OtelTraceState state = OtelTraceState.parse(header);

        assertThat(state.usable()).isFalse();
        assertThat(state.problem())
                .hasValueSatisfying(problem -> assertThat(problem).startsWith(reasonStart));
        assertThat(state.threshold()).isEmpty();
        assertThat(state.randomness()).isEmpty();
        // Nothing of a malformed header is kept; a sampler writes a fresh ot entry.
        assertThat(state.format()).isEmpty();
        assertThat(state.withThreshold(Threshold.parse("8")).format()).isEqualTo("ot=th:8");
    }

    @Test
    void reportsTooManyMembersAndTooLongKeysValuesAndHeaders() {
        assertThat(OtelTraceState.parse(members(33)).problem()).hasValue("tracestate has more than 32 list members");
        assertThat(OtelTraceState.parse("k" + "a".repeat(256) + "=v").problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("malformed key (257 characters)"));
        assertThat(OtelTraceState.parse("k=" + "v".repeat(257)).problem())
                .hasValueSatisfying(problem -> assertThat(problem).contains("malformed value (257 characters)"));
        assertThat(OtelTraceState.parse(",".repeat(40_000)).problem())
                .hasValue("tracestate has 40000 characters; at most 32768 are read");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "ot=th:E666              | ot entry: th value has an upper-case hex digit at position 1; expected 1 to 14 lower-case hex digits",
                "ot=th:                  | ot entry: th value is empty; expected 1 to 14 lower-case hex digits",
                "ot=th:123456789abcdef   | ot entry: th value has 15 characters; expected 1 to 14 lower-case hex digits",
                "ot=th:8g                | ot entry: th value has a character that is not a hex digit at position 2; expected 1 to 14 lower-case hex digits",
                "ot=rv:abc               | ot entry: rv value has 3 characters; expected exactly 14 lower-case hex digits",
                "ot=rv:6E6D1A75832A2F    | ot entry: rv value has an upper-case hex digit at position 2; expected exactly 14 lower-case hex digits",
                "ot=th:8;                | ot entry: sub-key 2 has no ':'",
                "ot=th                   | ot entry: sub-key 1 has no ':'",
                "ot=TH:8                 | ot entry: sub-key 1 has a malformed name; expected a-z followed by a-z, 0-9",
                "ot=1k:8                 | ot entry: sub-key 1 has a malformed name; expected a-z followed by a-z, 0-9",
                "ot=:8                   | ot entry: sub-key 1 has a malformed name; expected a-z followed by a-z, 0-9",
                "ot=k:v+w                | ot entry: sub-key 1 has a malformed value; expected A-Z, a-z, 0-9, '.', '_', '-'",
                "ot=th:8;th:c            | ot entry: th appears twice",
                "ot=rv:6e6d1a75832a2f;rv:6e6d1a75832a2f | ot entry: rv appears twice",
                "ot=k:v;p:8;k:w          | ot entry: sub-key 3 repeats an earlier sub-key",
            })
    void reportsMalformedOtEntriesAsUnusableButKeepsOtherVendors(String ot, String reason) {
        OtelTraceState state = OtelTraceState.parse("rojo=00f067aa0ba902b7," + ot + ",congo=t61rcWkgMzE");

        assertThat(state.usable()).isFalse();
        assertThat(state.problem()).hasValue(reason);
        assertThat(state.threshold()).isEmpty();
        assertThat(state.randomness()).isEmpty();
        assertThat(state.format()).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(state.withThreshold(Threshold.parse("c")).format())
                .isEqualTo("ot=th:c,rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
    }

    @Test
    void problemsNeverRepeatTheHeadersContent() {
        List<String> secrets = List.of("SECRETTOKEN", "sk-live-0123456789");
        for (String secret : secrets) {
            for (String header : List.of(
                    "ot=th:" + secret,
                    "ot=rv:" + secret,
                    "ot=" + secret,
                    "Vendor=" + secret,
                    "=" + secret,
                    "congo=" + secret + "=x",
                    "ot=k:" + secret + ";k:" + secret)) {
                OtelTraceState state = OtelTraceState.parse(header);
                assertThat(state.problem())
                        .as(header)
                        .hasValueSatisfying(problem -> assertThat(problem).doesNotContain(secret));
                assertThat(state.toString()).doesNotContain(secret);
            }
        }
        assertThat(OtelTraceState.parse("congo=SECRETTOKEN").toString()).doesNotContain("SECRETTOKEN");
    }

    @Test
    void dropsTheLastMemberToMakeRoomForOtInAFullHeader() {
        OtelTraceState state = OtelTraceState.parse(members(32));

        String formatted = state.withThreshold(Threshold.parse("8")).format();

        assertThat(formatted.split(","))
                .hasSize(32)
                .startsWith("ot=th:8", "k1=v1")
                .doesNotContain("k32=v32");
        assertThat(OtelTraceState.parse(formatted).usable()).isTrue();
    }

    @Test
    void dropsTheLastLongMemberFirst() {
        List<String> members = new ArrayList<>(
                IntStream.rangeClosed(1, 32).mapToObj(i -> "k" + i + "=v" + i).toList());
        members.set(4, "long1=" + "a".repeat(130));
        members.set(9, "long2=" + "b".repeat(130));
        OtelTraceState state = OtelTraceState.parse(String.join(",", members));

        String formatted = state.withThreshold(Threshold.parse("8")).format();

        assertThat(formatted.split(","))
                .hasSize(32)
                .contains("k32=v32", members.get(4))
                .doesNotContain(members.get(9));
    }

    @Test
    void aFullHeaderThatAlreadyHasOtKeepsAllMembers() {
        String header = "ot=th:8," + members(31);

        String formatted =
                OtelTraceState.parse(header).withThreshold(Threshold.parse("c")).format();

        assertThat(formatted).isEqualTo("ot=th:c," + members(31));
    }

    @Test
    void unknownSubKeysGiveWayWhenThWouldPushOtPast256Characters() {
        String extras = "k:" + "x".repeat(249);
        String header = "ot=th:8;" + extras;
        assertThat(header.length() - 3).isEqualTo(256);
        OtelTraceState state = OtelTraceState.parse(header);
        assertThat(state.usable()).isTrue();

        assertThat(state.withThreshold(Threshold.parse("c")).format()).isEqualTo("ot=th:c;" + extras);
        assertThat(state.withThreshold(Threshold.parse("fd70a")).format()).isEqualTo("ot=th:fd70a");
        assertThat(state.withThreshold(Threshold.parse("fd70a")).otValue().length())
                .isLessThanOrEqualTo(256);
    }

    @Test
    void readsLogRecordAttributes() {
        OtelTraceState state = OtelTraceState.ofLogAttributes("c", "e05a99c8df8d32");

        assertThat(state.usable()).isTrue();
        assertThat(state.threshold()).contains(Threshold.parse("c"));
        assertThat(state.randomness()).contains(Randomness.parse("e05a99c8df8d32"));
        assertThat(OtelTraceState.ofLogAttributes("", "")).isSameAs(OtelTraceState.EMPTY);
        assertThat(OtelTraceState.ofLogAttributes("", "e05a99c8df8d32").threshold())
                .isEmpty();
    }

    @Test
    void reportsMalformedLogRecordAttributes() {
        assertThat(OtelTraceState.ofLogAttributes("C", "").problem())
                .hasValue(
                        "sampling.threshold attribute has an upper-case hex digit at position 1; expected 1 to 14 lower-case hex digits");
        assertThat(OtelTraceState.ofLogAttributes("8", "e05a").problem())
                .hasValue("sampling.randomness attribute has 4 characters; expected exactly 14 lower-case hex digits");
        assertThat(OtelTraceState.ofLogAttributes("8", "e05a").threshold()).isEmpty();
    }

    @Test
    void describesItselfWithoutOtherVendorsValues() {
        assertThat(OtelTraceState.parse("congo=abc,ot=th:8;rv:" + RV))
                .hasToString("OtelTraceState[th:8, rv:" + RV + ", 1 other member(s)]");
    }

    private static String members(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "k" + i + "=v" + i).collect(Collectors.joining(","));
    }
}
