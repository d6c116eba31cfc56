package io.otlpgovernor.rules.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSources;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import io.otlpgovernor.rules.yaml.Problem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The JSON Schema of rule files ({@code schema/rule-file.schema.json}) against the shipped rules and against the
 * Java reader, which stays the authority. Besides good and broken examples, two checks keep schema and reader from
 * drifting apart: every property the schema declares is used in maximal rule files that {@link RuleLoader} accepts,
 * and at every mapping of those files, the keys the reader knows (as listed in its "unknown key" problem) are keys
 * the schema declares there.
 */
class RuleFileSchemaTest {

    private static final Path SCHEMA = Path.of("schema/rule-file.schema.json");
    private static final Path SHIPPED = Path.of("rules");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UNKNOWN_KEY = "no-such-key";
    private static final Pattern EXPECTED_KEYS = Pattern.compile("unknown key \\(expected one of: ([^)]*)\\)");

    /** Every key a preset may use. */
    private static final String MAXIMAL_PRESET = """
            preset: maximal
            description: Every key a preset may use.
            classification:
              detectors:
                - id: email
                  label: pii
                - id: payment-card
              patterns:
                - id: order-number
                  regex: 'ORD-[0-9]{6}'
                  label: internal
                  keys: [order.id]
              key-names:
                enabled: true
                label: secret
                extra: [pin]
              fields:
                attributes: [span, log]
                span-names: true
                log-bodies: false
              exclude-keys: [http.route]
            protection:
              - label: pii
                action: hash
                key-id: k2026-01
              - rule: payment-card
                action: redact
              - label: internal
                action: tag
            retention:
              tiers:
                - name: audit
                  retention: 2557d
              default-tier: standard
              rules:
                - id: audit-logs
                  tier: audit
                  when:
                    signals: [logs]
                    labels: [pii]
                    services: [billing]
                    attributes:
                      event.domain: audit
              legal-hold:
                tier: compliance
            """;

    /** Every key a tenant may use (with {@link #MAXIMAL_BYTES_TENANT}, which counts bytes per day instead). */
    private static final String MAXIMAL_TENANT = """
            tenant: maximal
            version: 1_000
            extends: [maximal]
            description: Every key a tenant may use.
            classification:
              detectors:
                - id: ipv4
              patterns:
                - id: loyalty-number
                  regex: 'LOY-[0-9]{8}'
                  label: pii
              key-names:
                enabled: true
                label: secret
                extra: [member_pin]
              fields:
                attributes: [resource, scope, span, span-event, span-link, log, data-point]
                span-names: false
                log-bodies: true
              exclude-keys: [service.name]
            protection:
              - rule: ipv4
                action: drop-attribute
              - label: secret
                action: drop-record
            quotas:
              rate:
                unit: items
                per-second: 5_000
                burst: 20000
              daily:
                items: 200000000
              over-quota: downsample
            retention:
              tiers:
                - name: debug
                  retention: 3d
              default-tier: extended
              rules:
                - id: debug-logs
                  tier: debug
                  when:
                    signals: [logs, spans]
                    labels: [secret]
                    services: [checkout]
                    attributes:
                      severity: debug
                      http.status_code: 500
              legal-hold:
                tier: compliance
            sampling:
              head:
                default-probability: 0.5
                rules:
                  - id: health-checks
                    when:
                      signals: [spans]
                      labels: [pii]
                      services: [frontend]
                      attributes:
                        http.route: /health
                    span-kinds: [server, client, producer, consumer, internal]
                    probability: 0.01
              tail:
                decision-wait: 30s
                max-spans-per-trace: 5000
                max-bytes-per-trace: 16_777_216
                decision-cache-ttl: 10m
                policies:
                  - id: errors
                    type: status-error
                  - id: slow
                    type: latency
                    threshold: 2s
                  - id: vip-values
                    type: attribute
                    key: customer.tier
                    values: [gold, platinum]
                  - id: vip-regex
                    type: attribute
                    key: customer.id
                    regex: '^VIP-'
                  - id: big-orders
                    type: attribute
                    key: order.total
                    min: 1000
                    max: 1000000
                  - id: flagged
                    type: attribute
                    key: debug.flag
                    bool: true
                  - id: long-traces
                    type: span-count
                    min: 50
                  - id: per-service
                    type: rate-limit
                    spans-per-second: 100
                  - id: baseline
                    type: probabilistic
                    probability: 0.1
                  - id: no-synthetics
                    type: drop
                    when:
                      signals: [spans]
                      labels: [internal]
                      services: [synthetic-monitor]
                      attributes:
                        synthetic: true
                  - id: slow-errors
                    type: and
                    policies:
                      - id: slow-errors-status
                        type: status-error
                      - id: slow-errors-latency
                        type: latency
                        threshold: 500ms
                      - id: nested
                        type: and
                        policies:
                          - id: deepest
                            type: and
                            policies:
                              - id: deepest-sample
                                type: probabilistic
                                probability: 0.5
                              - id: deepest-count
                                type: span-count
                                min: 3
            """;

    private static final String MAXIMAL_BYTES_TENANT = """
            tenant: maximal-bytes
            version: 1
            quotas:
              daily:
                bytes: 1099511627776
            cardinality:
              max-series: 50000
              max-series-per-metric: 5000
              metrics:
                checkout_latency:
                  max-series: 2000
              attributes:
                user_id:
                  max-values: 100
              over-limit: strip-attributes
              strip-attributes: [user.id, url.full]
              series-ttl: 2h
            """;

    private static final Map<String, String> MAXIMAL_FILES = Map.of(
            "presets/maximal.yaml", MAXIMAL_PRESET,
            "tenants/maximal.yaml", MAXIMAL_TENANT,
            "tenants/maximal-bytes.yaml", MAXIMAL_BYTES_TENANT);

    private static JsonNode schemaTree;
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        schemaTree = JSON.readTree(SCHEMA.toFile());
        SchemaValidatorsConfig config =
                SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in, config);
        }
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() {
        JsonSchema metaSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of(SchemaId.V202012));

        assertThat(schemaTree.path("$schema").asText()).isEqualTo(SchemaId.V202012);
        assertThat(metaSchema.validate(schemaTree)).isEmpty();
    }

    static Stream<Path> shippedRuleFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String folder : List.of(RuleSources.PRESETS, RuleSources.TENANTS)) {
            try (Stream<Path> list = Files.list(SHIPPED.resolve(folder))) {
                list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @Test
    void theShippedRulesAreTheFourPresetsAndThreeTenants() throws IOException {
        assertThat(shippedRuleFiles().map(p -> SHIPPED.relativize(p).toString().replace('\\', '/')))
                .containsExactly(
                        "presets/gdpr.yaml",
                        "presets/hipaa.yaml",
                        "presets/pci-dss.yaml",
                        "presets/sox.yaml",
                        "tenants/acme.yaml",
                        "tenants/globex.yaml",
                        "tenants/paynow.yaml");
    }

    @ParameterizedTest
    @MethodSource("shippedRuleFiles")
    void everyShippedRuleFileValidates(Path file) throws IOException {
        assertThat(errors(Files.readString(file))).as(file.toString()).isEmpty();
    }

    /**
     * Broken documents: each fails the schema at {@code schemaAt} (a JSON pointer) and fails the reader with a
     * problem containing {@code readerSays}.
     */
    static Stream<Arguments> brokenDocuments() {
        return Stream.of(
                broken("unknown key", "tenants/t.yaml", """
                        tenant: t
                        version: 1
                        classification:
                          colour: blue
                        """, "/classification", "classification.colour: unknown key"),
                broken("unknown top-level key", "tenants/t.yaml", """
                        tenant: t
                        version: 1
                        protections: []
                        """, "", "protections: unknown key"),
                broken(
                        "bad action",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        protection:
                          - label: pii
                            action: shred
                        """,
                        "/protection/0/action",
                        "protection[0].action: expected one of tag, hash, redact, drop-attribute, drop-record"),
                broken("missing version", "tenants/t.yaml", """
                        tenant: t
                        description: no version
                        """, "", "version: is required"),
                broken("version 0", "tenants/t.yaml", """
                        tenant: t
                        version: 0
                        """, "/version", "version: must be at least 1"),
                broken(
                        "neither tenant nor preset",
                        "tenants/t.yaml",
                        """
                        version: 1
                        """,
                        "",
                        "a rule file names either 'tenant' (a tenant's rules) or 'preset' (a compliance preset)"),
                broken("tenant and preset", "presets/p.yaml", """
                        preset: p
                        tenant: p
                        """, "/tenant", "a rule file names either 'tenant'"),
                broken("upper-case tenant id", "tenants/Acme.yaml", """
                        tenant: Acme
                        version: 1
                        """, "/tenant", "tenant: expected a tenant id"),
                broken(
                        "preset with quotas",
                        "presets/p.yaml",
                        """
                        preset: p
                        quotas:
                          over-quota: drop
                        """,
                        "/quotas",
                        "quotas: only tenant files may set quotas"),
                broken("preset with version", "presets/p.yaml", """
                        preset: p
                        version: 2
                        """, "/version", "version: presets have no version"),
                broken(
                        "preset with sampling",
                        "presets/p.yaml",
                        """
                        preset: p
                        sampling:
                          head:
                            default-probability: 0.5
                        """,
                        "/sampling",
                        "sampling: only tenant files may set sampling"),
                broken(
                        "preset with extends",
                        "presets/p.yaml",
                        """
                        preset: p
                        extends: [gdpr]
                        """,
                        "/extends",
                        "extends: only tenant files may set extends"),
                broken(
                        "unknown detector",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          detectors:
                            - id: emial
                        """,
                        "/classification/detectors/0/id",
                        "classification.detectors[0].id: unknown detector"),
                broken(
                        "pattern without label",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          patterns:
                            - id: order
                              regex: 'ORD-[0-9]+'
                        """,
                        "/classification/patterns/0",
                        "classification.patterns[0].label: is required"),
                broken(
                        "upper-case label",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          patterns:
                            - id: order
                              regex: 'ORD-[0-9]+'
                              label: PII
                        """,
                        "/classification/patterns/0/label",
                        "classification.patterns[0].label: expected a label"),
                broken(
                        "unknown field site",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          fields:
                            attributes: [spans]
                        """,
                        "/classification/fields/attributes/0",
                        "classification.fields.attributes[0]: unknown field site"),
                broken(
                        "key-names enabled: maybe",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          key-names:
                            enabled: maybe
                        """,
                        "/classification/key-names/enabled",
                        "classification.key-names.enabled: expected true or false"),
                broken(
                        "label and rule",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          detectors:
                            - id: email
                        protection:
                          - label: pii
                            rule: email
                            action: redact
                        """,
                        "/protection/0",
                        "protection[0]: name exactly one of 'label' or 'rule'"),
                broken(
                        "key-id without hash",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        classification:
                          detectors:
                            - id: email
                        protection:
                          - label: pii
                            action: redact
                            key-id: k1
                        """,
                        "/protection/0/key-id",
                        "protection[0].key-id: only applies to action hash"),
                broken(
                        "daily with items and bytes",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        quotas:
                          daily:
                            items: 10
                            bytes: 10
                        """,
                        "/quotas/daily",
                        "quotas.daily: name exactly one of 'items' or 'bytes'"),
                broken(
                        "rate without per-second",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        quotas:
                          rate:
                            burst: 10
                        """,
                        "/quotas/rate",
                        "quotas.rate.per-second: is required"),
                broken(
                        "over-quota: throttle",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        quotas:
                          over-quota: throttle
                        """,
                        "/quotas/over-quota",
                        "quotas.over-quota: expected one of drop, downsample"),
                broken(
                        "tier name with a dash",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        retention:
                          tiers:
                            - name: long-term
                              retention: 365d
                        """,
                        "/retention/tiers/0/name",
                        "retention.tiers[0].name: expected 1-20 lower-case letters and digits"),
                broken(
                        "bad duration",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            decision-wait: 30 seconds
                            policies: []
                        """,
                        "/sampling/tail/decision-wait",
                        "sampling.tail.decision-wait: expected a duration such as 500ms, 10s, 5m, 1h or 30d"),
                broken(
                        "bad tier retention",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        retention:
                          tiers:
                            - name: weekly
                              retention: 1w
                        """,
                        "/retention/tiers/0/retention",
                        "retention.tiers[0].retention: expected a duration"),
                broken(
                        "unknown signal",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        retention:
                          rules:
                            - id: r
                              tier: short
                              when:
                                signals: [traces]
                        """,
                        "/retention/rules/0/when/signals/0",
                        "retention.rules[0].when.signals[0]: expected spans, metrics or logs"),
                broken(
                        "probability above 1",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          head:
                            default-probability: 1.5
                        """,
                        "/sampling/head/default-probability",
                        "sampling.head.default-probability: must be between 0.0 and 1.0"),
                broken(
                        "unknown span kind",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          head:
                            rules:
                              - id: r
                                span-kinds: [SERVER]
                                probability: 0.5
                        """,
                        "/sampling/head/rules/0/span-kinds/0",
                        "sampling.head.rules[0].span-kinds[0]: expected one of server, client, producer, consumer, internal"),
                broken(
                        "tail without policies",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            decision-wait: 10s
                        """,
                        "/sampling/tail",
                        "sampling.tail.policies: is required"),
                broken(
                        "max-spans-per-trace 0",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            max-spans-per-trace: 0
                            policies: []
                        """,
                        "/sampling/tail/max-spans-per-trace",
                        "sampling.tail.max-spans-per-trace: must be between 1 and 1000000"),
                broken(
                        "unknown policy type",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: p
                                type: errors
                        """,
                        "/sampling/tail/policies/0/type",
                        "sampling.tail.policies[0].type: expected one of status-error, latency"),
                broken(
                        "attribute tail policy without key",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: vip
                                type: attribute
                                values: [gold]
                        """,
                        "/sampling/tail/policies/0",
                        "sampling.tail.policies[0].key: is required"),
                broken(
                        "attribute tail policy with two kinds of match",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: vip
                                type: attribute
                                key: customer.tier
                                values: [gold]
                                regex: '^plat'
                        """,
                        "/sampling/tail/policies/0",
                        "sampling.tail.policies[0]: an attribute policy needs exactly one of: values, regex, min/max, bool"),
                broken(
                        "latency policy without threshold",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: slow
                                type: latency
                        """,
                        "/sampling/tail/policies/0",
                        "sampling.tail.policies[0].threshold: is required"),
                broken(
                        "key of another policy type",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: errors
                                type: status-error
                                threshold: 2s
                        """,
                        "/sampling/tail/policies/0",
                        "sampling.tail.policies[0].threshold: unknown key"),
                broken(
                        "span-count min 0",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: long
                                type: span-count
                                min: 0
                        """,
                        "/sampling/tail/policies/0/min",
                        "sampling.tail.policies[0].min: must be between 1 and 1000000"),
                broken(
                        "drop inside and",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: both
                                type: and
                                policies:
                                  - id: errors
                                    type: status-error
                                  - id: no-health
                                    type: drop
                                    when:
                                      services: [health]
                        """,
                        "/sampling/tail/policies/0/policies/1/type",
                        "sampling.tail.policies[0].policies: an 'and' policy may not contain drop or rate-limit policies"),
                broken(
                        "and nested four deep",
                        "tenants/t.yaml",
                        """
                        tenant: t
                        version: 1
                        sampling:
                          tail:
                            policies:
                              - id: a1
                                type: and
                                policies:
                                  - id: a2
                                    type: and
                                    policies:
                                      - id: a3
                                        type: and
                                        policies:
                                          - id: a4
                                            type: and
                                            policies:
                                              - id: errors
                                                type: status-error
                        """,
                        "/sampling/tail/policies/0/policies/0/policies/0/policies/0/type",
                        "sampling.tail.policies[0].policies[0].policies[0].policies[0].policies: 'and' policies nest at most 3 deep"));
    }

    private static Arguments broken(String name, String file, String yaml, String schemaAt, String readerSays) {
        return Arguments.of(name, file, yaml, schemaAt, readerSays);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDocuments")
    void brokenDocumentsFailTheSchemaAndTheReader(
            String name, String file, String yaml, String schemaAt, String readerSays) {
        Set<ValidationMessage> errors = errors(yaml);
        assertThat(errors).as("schema errors of '%s'", name).isNotEmpty();
        assertThat(errors)
                .extracting(e -> e.getInstanceLocation().toString())
                .as("schema errors of '%s': %s", name, errors)
                .contains(schemaAt);

        RuleValidationException e = catchThrowableOfType(
                RuleValidationException.class, () -> RuleLoader.load(new RuleSources(Map.of(file, yaml))));
        assertThat(e).as("the reader refuses '%s'", name).isNotNull();
        assertThat(e.problems())
                .extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).contains(readerSays));
    }

    @Test
    void theMaximalRuleFilesValidateAndLoad() throws Exception {
        MAXIMAL_FILES.forEach((file, text) -> assertThat(errors(text)).as(file).isEmpty());

        assertThat(RuleLoader.load(new RuleSources(MAXIMAL_FILES)).tenants())
                .containsOnlyKeys("maximal", "maximal-bytes");
    }

    /** Schema ⊆ reader: every property the schema declares is used in the maximal files, which the reader loads. */
    @Test
    void everyPropertyOfTheSchemaIsUsedInTheMaximalRuleFiles() throws IOException {
        Set<String> declared = schemaProperties();
        Set<String> used = new TreeSet<>();
        for (String text : MAXIMAL_FILES.values()) {
            forEachMapping(
                    YAML.readTree(text),
                    (path, mapping) -> mapping.fieldNames()
                            .forEachRemaining(key -> used.add(normalise(join(path, isMap(path) ? "*" : key)))));
        }

        assertThat(declared)
                .as("schema properties, as paths")
                .contains(
                        "tenant",
                        "classification.detectors[].label",
                        "retention.rules[].when.attributes.*",
                        "sampling.tail.policies[].spans-per-second");
        assertThat(used).containsAll(declared);
    }

    /** Reader ⊆ schema: at every mapping of the maximal files, each key the reader knows is declared by the schema. */
    @Test
    void everyKeyTheReaderKnowsIsDeclaredByTheSchema() throws IOException {
        Set<String> declared = schemaProperties();
        Map<String, Set<String>> readerKeys = new LinkedHashMap<>();
        for (Map.Entry<String, String> file : MAXIMAL_FILES.entrySet()) {
            JsonNode tree = YAML.readTree(file.getValue());
            List<String> mappings = new ArrayList<>();
            forEachMapping(tree, (path, mapping) -> {
                if (!isMap(path)) {
                    mappings.add(path);
                }
            });
            for (String path : mappings) {
                JsonNode changed = tree.deepCopy();
                ((ObjectNode) at(changed, path)).put(UNKNOWN_KEY, "x");
                String text = YAML.writeValueAsString(changed);

                assertThat(errors(text))
                        .as("schema on an unknown key at '%s' of %s", path, file.getKey())
                        .anySatisfy(e ->
                                assertThat(e.getInstanceLocation().toString()).isEqualTo(pointer(path)));
                Map<String, String> files = new LinkedHashMap<>(MAXIMAL_FILES);
                files.put(file.getKey(), text);
                RuleValidationException e = catchThrowableOfType(
                        RuleValidationException.class, () -> RuleLoader.load(new RuleSources(files)));
                assertThat(e)
                        .as("reader on an unknown key at '%s' of %s", path, file.getKey())
                        .isNotNull();
                Problem problem = e.problems().stream()
                        .filter(p -> p.path().equals(join(path, UNKNOWN_KEY)))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no unknown-key problem at " + path + ": " + e.problems()));
                Matcher expected = EXPECTED_KEYS.matcher(problem.reason());
                assertThat(expected.matches()).as(problem.reason()).isTrue();
                readerKeys
                        .computeIfAbsent(normalise(path), p -> new TreeSet<>())
                        .addAll(Arrays.asList(expected.group(1).split(", ")));
            }
        }

        assertThat(readerKeys).containsKeys("", "classification.key-names", "quotas.daily", "sampling.tail.policies[]");
        readerKeys.forEach((path, keys) -> keys.forEach(key -> assertThat(declared)
                .as("key '%s' at '%s', which the reader knows", key, path)
                .contains(normalise(join(path, key)))));
    }

    // ---- helpers ----

    private static Set<ValidationMessage> errors(String yaml) {
        try {
            return schema.validate(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every property the schema declares, as a path: {@code classification.detectors[].id}; {@code *} for the
     * values of a map; the nested {@code policies[]} of 'and' policies folded into one.
     */
    private static Set<String> schemaProperties() {
        Set<String> paths = new TreeSet<>();
        collect(schemaTree, "", paths, new HashSet<>());
        return paths;
    }

    private static void collect(JsonNode schemaNode, String path, Set<String> out, Set<String> visited) {
        if (!schemaNode.isObject()) {
            return;
        }
        if (schemaNode.has("$ref")) {
            String ref = schemaNode.get("$ref").asText();
            assertThat(ref).as("only local references").startsWith("#/");
            if (visited.add(ref + " @ " + path)) {
                collect(schemaTree.at(ref.substring(1)), path, out, visited);
            }
        }
        schemaNode.path("properties").properties().forEach(property -> {
            if (!property.getValue().isBoolean()) {
                String child = normalise(join(path, property.getKey()));
                out.add(child);
                collect(property.getValue(), child, out, visited);
            }
        });
        if (schemaNode.path("additionalProperties").isObject()) {
            String child = normalise(join(path, "*"));
            out.add(child);
            collect(schemaNode.get("additionalProperties"), child, out, visited);
        }
        if (schemaNode.has("items")) {
            collect(schemaNode.get("items"), path + "[]", out, visited);
        }
        for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
            schemaNode.path(keyword).forEach(sub -> collect(sub, path, out, visited));
        }
        for (String keyword : List.of("then", "else")) {
            collect(schemaNode.path(keyword), path, out, visited);
        }
    }

    /** Calls {@code action} with the path ({@code protection[0]}, as the reader writes it) of every mapping. */
    private static void forEachMapping(JsonNode node, BiConsumer<String, JsonNode> action) {
        forEachMapping(node, "", action);
    }

    private static void forEachMapping(JsonNode node, String path, BiConsumer<String, JsonNode> action) {
        if (node.isObject()) {
            action.accept(path, node);
            node.properties().forEach(field -> forEachMapping(field.getValue(), join(path, field.getKey()), action));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                forEachMapping(node.get(i), path + "[" + i + "]", action);
            }
        }
    }

    /** Mappings whose keys are the user's (attribute keys, metric names), not rule-file keys. */
    private static boolean isMap(String path) {
        return path.endsWith("when.attributes")
                || path.equals("cardinality.metrics")
                || path.equals("cardinality.attributes");
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * {@code a.b[3].c} → {@code a.b[].c}; nested 'and' sub-policies folded into {@code policies[]}; the entries of the
     * user-keyed cardinality mappings folded into {@code *}.
     */
    private static String normalise(String path) {
        return path.replaceAll("\\[\\d+]", "[]")
                .replaceAll("(\\.policies\\[])+", ".policies[]")
                .replaceAll("^cardinality\\.(metrics|attributes)\\.[^.*]+", "cardinality.$1.*");
    }

    /** The JSON pointer of a reader path: {@code a.b[3].c} → {@code /a/b/3/c}. */
    private static String pointer(String path) {
        return path.isEmpty() ? "" : "/" + path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }

    private static JsonNode at(JsonNode root, String path) {
        return root.at(pointer(path));
    }
}
