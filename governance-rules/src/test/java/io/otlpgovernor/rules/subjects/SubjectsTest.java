package io.otlpgovernor.rules.subjects;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;
import io.otlpgovernor.rules.sampling.SamplingFixtures;
import org.junit.jupiter.api.Test;

import static io.otlpgovernor.rules.sampling.SamplingFixtures.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubjectsTest {

    private static final byte[] K1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final byte[] K2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);
    private static final HmacKeyring KEYS = new HmacKeyring("k1", Map.of("k1", K1));

    private static final String ALICE = "alice.smith@example.com";
    private static final String BOB = "bob.jones@example.org";

    private static SubjectEntry suppress(SubjectIdentifiers.Recognised id, HmacKeyring keys, String action) {
        return SubjectIdentifiers.entry("shop", id, keys, action, "2026-12-07T00:00:00Z");
    }

    private static SubjectList list(HmacKeyring keys, SubjectEntry... entries) {
        return new SubjectList(List.of(entries), keys);
    }

    // --- identifiers ---

    @Test
    void emailsAreRecognisedWholeAndNormalisedToLowerCase() {
        SubjectIdentifiers.Recognised id = SubjectIdentifiers.email("  Alice.Smith@Example.COM ");
        assertThat(id.kind()).isEqualTo("email");
        assertThat(id.normal()).isEqualTo(ALICE);
        assertThatThrownBy(() -> SubjectIdentifiers.email("write to alice.smith@example.com"))
                .hasMessage("--email: not an e-mail address the classifier recognises")
                .hasMessageNotContaining("alice");
    }

    @Test
    void valuesAreRecognisedByTheirDetectorAndUserIdsAreOneWord() {
        assertThat(SubjectIdentifiers.value("4111 1111 1111 1111").kind()).isEqualTo("payment-card");
        assertThat(SubjectIdentifiers.value("4111 1111 1111 1111").normal()).isEqualTo("4111111111111111");
        assertThat(SubjectIdentifiers.value(ALICE).kind()).isEqualTo("email");
        assertThatThrownBy(() -> SubjectIdentifiers.value("customer 42"))
                .hasMessageStartingWith("--value: the classifier recognises no identifier in it");
        assertThat(SubjectIdentifiers.userId("u-1042").normal()).isEqualTo("u-1042");
        assertThatThrownBy(() -> SubjectIdentifiers.userId("u 1042")).hasMessageContaining("at character 2");
    }

    @Test
    void anEntryHoldsPseudonymsUnderEveryKeyAndNeverTheIdentifier() {
        HmacKeyring rotated = new HmacKeyring("k2", Map.of("k1", K1, "k2", K2));
        SubjectEntry entry = suppress(SubjectIdentifiers.email("Alice.Smith@example.com"), rotated, "drop-record");
        assertThat(entry.pseudonyms()).containsOnlyKeys("k1", "k2");
        // the normal form first, then the form given
        assertThat(entry.pseudonyms().get("k1")).hasSize(2).allMatch(p -> p.startsWith("hmac:k1:"));
        String json = new String(entry.toJson(), StandardCharsets.UTF_8);
        assertThat(json.toLowerCase()).doesNotContain("alice").doesNotContain("example");
        assertThat(SubjectEntry.fromJson(entry.key(), entry.toJson())).isEqualTo(entry);
        // the same request twice is the same entry
        assertThat(suppress(SubjectIdentifiers.email(ALICE), rotated, "drop-record")
                        .id())
                .isEqualTo(entry.id());
        assertThatThrownBy(() -> SubjectEntry.fromJson("shop/s-other", entry.toJson()))
                .hasMessage("the record key is not <tenant>/<id> of the entry");
    }

    // --- finding ---

    @Test
    void findsASubjectRawInAnyCaseAndAlreadyHashedButNoOtherSubject() {
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record");
        SubjectList subjects = list(KEYS, alice);
        assertThat(subjects.find("order for Alice.Smith@Example.com shipped"))
                .singleElement()
                .satisfies(hit -> {
                    assertThat(hit.entry()).isEqualTo(alice);
                    assertThat(hit.start()).isEqualTo(10);
                });
        String hashed = Pseudonyms.of(Pseudonyms.mac(K1), "k1", ALICE);
        assertThat(subjects.find("customer=" + hashed)).hasSize(1);
        assertThat(subjects.find("order for " + BOB)).isEmpty();
        assertThat(subjects.find("no address here")).isEmpty();
        // a clean value is remembered; the answer stays the same
        assertThat(subjects.find("no address here")).isEmpty();
    }

    @Test
    void findsAUserIdAsAWholeValueAndAsAWordOfFreeText() {
        SubjectList subjects = list(KEYS, suppress(SubjectIdentifiers.userId("u-1042"), KEYS, "drop-record"));
        assertThat(subjects.find("u-1042")).hasSize(1);
        assertThat(subjects.find("login failed for user=u-1042 (locked)"))
                .singleElement()
                .satisfies(hit -> {
                    assertThat(hit.start()).isEqualTo(22);
                    assertThat(hit.end()).isEqualTo(28);
                });
        assertThat(subjects.find("u-10420")).isEmpty();
        assertThat(subjects.find("user u-104")).isEmpty();
    }

    @Test
    void afterARotationRawValuesAreComparedUnderAKeyTheEntryHasAndRetiringItLeavesOnlyHashedMatches() {
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record");
        HmacKeyring rotated = new HmacKeyring("k2", Map.of("k1", K1, "k2", K2));
        assertThat(list(rotated, alice).find(ALICE)).hasSize(1);
        HmacKeyring retired = new HmacKeyring("k2", Map.of("k2", K2));
        SubjectList afterRetirement = list(retired, alice);
        assertThat(afterRetirement.hashedOnly(retired)).containsExactly(alice);
        assertThat(afterRetirement.find(ALICE)).isEmpty();
        assertThat(afterRetirement.find(Pseudonyms.of(Pseudonyms.mac(K1), "k1", ALICE)))
                .hasSize(1);
    }

    @Test
    void cleanValuesAreRememberedOnlyWhenShortAndBoundedInNumber() {
        SubjectList list = list(KEYS, suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record"));
        list.find("checkout");
        list.find("a long log body ".repeat(50));
        assertThat(list.cleanValues()).isEqualTo(1);
        for (int i = 0; i <= SubjectList.CLEAN_CACHE; i++) {
            list.find("value-" + i);
        }
        assertThat(list.cleanValues()).isBetween(1, SubjectList.CLEAN_CACHE);
        assertThat(list.find("mail " + ALICE)).hasSize(1);
    }

    @Test
    void aRecordThatIsNotOtlpIsScannedAsTextForTheSubjectRawAndHashed() {
        SubjectList list = list(KEYS, suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record"));
        String pseudonym = Pseudonyms.of(Pseudonyms.mac(K1), "k1", ALICE);
        byte[] misencoded = ("{\"resourceLogs\": [{\"body\": \"for " + ALICE.toUpperCase() + "\"}] \u0000\u00ff")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(SubjectScan.bytes(list, misencoded)).containsExactly(SubjectScan.RAW);
        assertThat(SubjectScan.bytes(list, ("x " + pseudonym).getBytes(StandardCharsets.UTF_8)))
                .containsExactly("hmac:k1");
        assertThat(SubjectScan.bytes(list, BOB.getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    // --- suppressing ---

    @Test
    void dropsTheItemsThatCarryASubjectAndKeepsTheOthersAsTheyWere() {
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record");
        Span aliceSpan = SamplingFixtures.span("checkout", 1, attribute("user.email", ALICE));
        Span bobSpan = SamplingFixtures.span("checkout", 2, attribute("user.email", BOB));
        Span named = SamplingFixtures.span("GET /users/" + ALICE, 3);
        ExportTraceServiceRequest request = spans(SamplingFixtures.resource("shop"), aliceSpan, bobSpan, named);

        SubjectFilter.Suppressed<ExportTraceServiceRequest> out = SubjectFilter.spans(list(KEYS, alice), request);

        assertThat(out.dropped()).isEqualTo(2);
        assertThat(out.request().getResourceSpans(0).getScopeSpans(0).getSpansList())
                .containsExactly(bobSpan);
        assertThat(out.found())
                .containsOnly(
                        Map.entry(new SubjectFilter.Found(alice.id(), "span.attributes[user.email]"), 1L),
                        Map.entry(new SubjectFilter.Found(alice.id(), "span.name"), 1L));
        ExportTraceServiceRequest bobOnly = spans(SamplingFixtures.resource("shop"), bobSpan);
        assertThat(SubjectFilter.spans(list(KEYS, alice), bobOnly).request()).isSameAs(bobOnly);
    }

    @Test
    void aSubjectInAResourceDropsEverythingUnderItCountedPerItem() {
        SubjectEntry user = suppress(SubjectIdentifiers.userId("u-1042"), KEYS, "drop-record");
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(SamplingFixtures.resource("app", attribute("enduser.id", "u-1042")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .addSpans(SamplingFixtures.span("a", 1))
                                .addSpans(SamplingFixtures.span("b", 2))))
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(SamplingFixtures.resource("app", attribute("enduser.id", "u-7")))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(SamplingFixtures.span("c", 3))))
                .build();

        SubjectFilter.Suppressed<ExportTraceServiceRequest> out = SubjectFilter.spans(list(KEYS, user), request);

        assertThat(out.dropped()).isEqualTo(2);
        assertThat(out.request().getResourceSpansList()).hasSize(1);
        assertThat(out.request()
                        .getResourceSpans(0)
                        .getScopeSpans(0)
                        .getSpans(0)
                        .getName())
                .isEqualTo("c");
        assertThat(out.found())
                .containsExactly(Map.entry(new SubjectFilter.Found(user.id(), "resource.attributes[enduser.id]"), 2L));
    }

    @Test
    void aRedactingEntryReplacesTheIdentifierInNestedValuesAndLogBodies() {
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "redact");
        KeyValue nested = KeyValue.newBuilder()
                .setKey("customer")
                .setValue(AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addValues(attribute("contact", "mail " + ALICE))))
                .build();
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder()
                        .setResource(SamplingFixtures.resource("shop"))
                        .addScopeLogs(ScopeLogs.newBuilder()
                                .addLogRecords(SamplingFixtures.log("sent receipt to " + ALICE, -1, nested))))
                .build();

        SubjectFilter.Suppressed<ExportLogsServiceRequest> out = SubjectFilter.logs(list(KEYS, alice), request);

        assertThat(out.dropped()).isZero();
        String governed = out.request().toString();
        assertThat(governed).doesNotContain(ALICE).contains("sent receipt to [REDACTED:subject]");
        assertThat(governed).contains("mail [REDACTED:subject]");
        assertThat(out.found())
                .containsOnlyKeys(
                        new SubjectFilter.Found(alice.id(), "log.attributes[customer][contact]"),
                        new SubjectFilter.Found(alice.id(), "log.body"));
    }

    @Test
    void aKeyThatHoldsPersonalDataIsNotWrittenIntoTheFieldPath() {
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record");
        Span span = SamplingFixtures.span("s", 1, attribute(ALICE, ALICE));
        SubjectFilter.Suppressed<ExportTraceServiceRequest> out =
                SubjectFilter.spans(list(KEYS, alice), spans(SamplingFixtures.resource("shop"), span));
        assertThat(out.found()).containsOnlyKeys(new SubjectFilter.Found(alice.id(), "span.attributes[*]"));
    }

    // --- the registry ---

    @Test
    void theRegistryAcceptsEntriesLiftsThemWithTombstonesAndRejectsWhatItCannotUse() {
        SubjectRegistry registry = new SubjectRegistry(Map.of("shop", KEYS));
        SubjectEntry alice = suppress(SubjectIdentifiers.email(ALICE), KEYS, "drop-record");
        Map<String, byte[]> state = new java.util.HashMap<>();

        SubjectRegistry.Change suppressed =
                registry.consider(new RuleUpdate(alice.key(), alice.toJson(), 1, RuleUpdate.Kind.SUBJECT), state::get);
        assertThat(suppressed.outcome()).isEqualTo(SubjectRegistry.Outcome.SUPPRESSED);
        assertThat(suppressed.findsRaw()).isTrue();
        state.put(alice.key(), alice.toJson());
        assertThat(registry.list("shop", state.entrySet()).entries()).containsExactly(alice);
        assertThat(registry.consider(
                                new RuleUpdate(alice.key(), alice.toJson(), 2, RuleUpdate.Kind.SUBJECT), state::get)
                        .outcome())
                .isEqualTo(SubjectRegistry.Outcome.UNCHANGED);
        assertThat(registry.consider(new RuleUpdate(alice.key(), null, 3, RuleUpdate.Kind.SUBJECT), state::get)
                        .outcome())
                .isEqualTo(SubjectRegistry.Outcome.LIFTED);

        SubjectRegistry.Change unknown = registry.consider(
                new RuleUpdate("other/" + alice.id(), alice.toJson(), 4, RuleUpdate.Kind.SUBJECT), state::get);
        assertThat(unknown.outcome()).isEqualTo(SubjectRegistry.Outcome.REJECTED);
        assertThat(unknown.problem()).isEqualTo("the record key is not <tenant>/<id> of the entry");
        SubjectRegistry.Change garbage = registry.consider(
                new RuleUpdate("shop/s-x", "{".getBytes(StandardCharsets.UTF_8), 5, RuleUpdate.Kind.SUBJECT),
                state::get);
        assertThat(garbage.problem()).startsWith("not a subject entry");

        // Made with another keys file: accepted (its pseudonyms still match hashed values), but it says it cannot
        // find the identifier raw, so the audit shows the request is only half in effect.
        SubjectEntry elsewhere =
                suppress(SubjectIdentifiers.email(BOB), new HmacKeyring("k9", Map.of("k9", K2)), "drop-record");
        SubjectRegistry.Change half = registry.consider(
                new RuleUpdate(elsewhere.key(), elsewhere.toJson(), 6, RuleUpdate.Kind.SUBJECT), state::get);
        assertThat(half.outcome()).isEqualTo(SubjectRegistry.Outcome.SUPPRESSED);
        assertThat(half.findsRaw()).isFalse();
    }

    // --- the access report ---

    @Test
    void theAccessReportGroupsHoldingsPerPartitionWithTheirFormsAndRetention() throws Exception {
        List<SubjectReport.Holding> holdings = List.of(
                new SubjectReport.Holding("governed_logs_standard", 0, 7, 1_000, List.of("hmac:k1")),
                new SubjectReport.Holding("governed_logs_standard", 0, 9, 3_000, List.of("hmac:k1", "raw")),
                new SubjectReport.Holding("governed_spans_short", 1, 2, 2_000, List.of("hmac:k0")));
        SubjectReport report = new SubjectReport(
                "shop",
                "email",
                "s-abc",
                java.time.Instant.EPOCH,
                java.time.Instant.ofEpochSecond(10),
                List.of("k0", "k1"),
                List.of("governed_logs_standard", "governed_spans_short"),
                holdings,
                Map.of("governed_logs_standard", new SubjectReport.Retention(86_400_000, 3_600_000)));

        com.fasterxml.jackson.databind.JsonNode json =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.json());
        assertThat(json.path("records").asLong()).isEqualTo(3);
        assertThat(json.path("raw_records").asLong()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode logs = json.at("/held_in/0");
        assertThat(logs.path("records").asLong()).isEqualTo(2);
        assertThat(logs.path("first_offset").asLong()).isEqualTo(7);
        assertThat(logs.path("last_offset").asLong()).isEqualTo(9);
        assertThat(logs.at("/forms/hmac:k1").asLong()).isEqualTo(2);
        assertThat(logs.path("removed_by_retention_from").asText()).isEqualTo("1970-01-02T00:00:03Z");
        assertThat(logs.path("removed_by_retention_by").asText()).isEqualTo("1970-01-02T01:00:03Z");
        assertThat(json.at("/held_in/1/removed_by_retention_from").isNull()).isTrue();
        assertThat(report.table()).contains("3 records hold the subject in 2 topics scanned; 1 of them raw");
    }

    private static ExportTraceServiceRequest spans(
            io.opentelemetry.proto.resource.v1.Resource resource, Span... spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(resource)
                        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
                .build();
    }
}
