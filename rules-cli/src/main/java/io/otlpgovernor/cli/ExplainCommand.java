package io.otlpgovernor.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import io.otlpgovernor.rules.protection.CompiledRules;
import io.otlpgovernor.rules.protection.Decisions;
import io.otlpgovernor.rules.protection.Finding;
import io.otlpgovernor.rules.protection.GovernanceEngine;
import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.ruleset.RuleBook;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code explain}: the dry run before publishing a change — applies one tenant's rules to sample OTLP data and
 * prints the governed data (OTLP/JSON) and every decision: rule, label, action, field path, count.
 */
@Command(
        name = "explain",
        mixinStandardHelpOptions = true,
        description =
                "Applies a tenant's rules to an OTLP request (JSON or protobuf) and prints the result and the decisions.")
final class ExplainCommand extends RulesSubcommand implements Callable<Integer> {

    @Option(names = "--rules", required = true, description = "The rules directory.")
    Path rules;

    @Option(names = "--tenant", required = true, description = "The tenant whose rules apply.")
    String tenant;

    @Option(
            names = "--input",
            required = true,
            description = "An OTLP export request: .json (OTLP/JSON) or .pb (protobuf).")
    Path input;

    @Option(names = "--signal", description = "traces, metrics or logs; needed for .pb input (JSON says it itself).")
    String signal;

    @Option(
            names = "--hmac-keys",
            description = "The HMAC keys file; without it, hashes use a throw-away key (id 'ephemeral').")
    Path hmacKeys;

    @Override
    public Integer call() throws IOException {
        RuleBook book = ValidateCommand.validate(rules, out(), err());
        if (book == null) {
            return 1;
        }
        Optional<RuleSet> ruleSet = book.tenant(tenant);
        if (ruleSet.isEmpty()) {
            err().println("no rules for tenant " + tenant + " (tenants: "
                    + String.join(", ", book.tenants().keySet()) + ")");
            return 1;
        }
        Map<String, HmacKeyring> keyrings;
        CompiledRules compiled;
        try {
            keyrings = keyrings();
            compiled = CompiledRules.compile(ruleSet.get(), keyrings.get(tenant));
        } catch (NoSuchFileException e) {
            err().println(e.getFile() + ": no such file");
            return 1;
        } catch (RuleValidationException e) {
            err().println(e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err().println("rules: " + e.getMessage());
            return 1;
        }
        try {
            byte[] bytes = Files.readAllBytes(input);
            Signal kind = signalOf(bytes);
            out().println("# rules: tenant " + tenant + " v" + compiled.version() + " (presets: "
                    + String.join(", ", ruleSet.get().presets()) + ")");
            print(kind, bytes, compiled, new GovernanceEngine(keyrings));
            return 0;
        } catch (NoSuchFileException e) {
            err().println(e.getFile() + ": no such file");
            return 1;
        } catch (InvalidPayloadException | IllegalArgumentException e) {
            err().println(input + ": " + e.getMessage());
            return 1;
        }
    }

    private void print(Signal kind, byte[] bytes, CompiledRules compiled, GovernanceEngine engine)
            throws InvalidPayloadException {
        boolean json = input.getFileName().toString().endsWith(".json");
        GovernanceEngine.Governed<? extends Message> governed = switch (kind) {
            case SPANS ->
                engine.governSpans(
                        compiled,
                        json ? OtlpJson.parseTraces(bytes) : parsePb(ExportTraceServiceRequest.parser(), bytes));
            case METRICS ->
                engine.governMetrics(
                        compiled,
                        json ? OtlpJson.parseMetrics(bytes) : parsePb(ExportMetricsServiceRequest.parser(), bytes));
            case LOGS ->
                engine.governLogs(
                        compiled, json ? OtlpJson.parseLogs(bytes) : parsePb(ExportLogsServiceRequest.parser(), bytes));
        };
        out().println(OtlpJson.printPretty(governed.request()));
        printDecisions(kind, governed);
    }

    private void printDecisions(Signal kind, GovernanceEngine.Governed<? extends Message> governed) {
        Decisions decisions = governed.decisions();
        out().println("# decisions: " + governed.itemsIn() + " " + kind.itemName() + " in, " + governed.itemsOut()
                + " out" + (decisions.labels().isEmpty() ? "" : "; labels " + String.join(", ", decisions.labels())));
        if (decisions.counts().isEmpty()) {
            out().println("#   nothing matched");
            return;
        }
        out().printf("#   %-22s %-8s %-15s %-6s %s%n", "rule", "label", "action", "count", "field");
        decisions.counts().entrySet().stream()
                .sorted(Comparator.comparing(
                                (Map.Entry<Finding, Long> e) -> e.getKey().fieldPath())
                        .thenComparing(e -> e.getKey().rule()))
                .forEach(e -> out().printf(
                                "#   %-22s %-8s %-15s %-6d %s%n",
                                e.getKey().rule(),
                                e.getKey().label(),
                                e.getKey().action().id(),
                                e.getValue(),
                                e.getKey().fieldPath()));
    }

    private Signal signalOf(byte[] bytes) {
        if (signal != null) {
            return switch (signal) {
                case "traces", "spans" -> Signal.SPANS;
                case "metrics" -> Signal.METRICS;
                case "logs" -> Signal.LOGS;
                default -> throw new IllegalArgumentException("--signal must be traces, metrics or logs");
            };
        }
        if (!input.getFileName().toString().endsWith(".json")) {
            throw new IllegalArgumentException("a protobuf input needs --signal traces|metrics|logs");
        }
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        if (head.contains("\"resourceSpans\"") || head.contains("\"resource_spans\"")) {
            return Signal.SPANS;
        }
        if (head.contains("\"resourceMetrics\"") || head.contains("\"resource_metrics\"")) {
            return Signal.METRICS;
        }
        if (head.contains("\"resourceLogs\"") || head.contains("\"resource_logs\"")) {
            return Signal.LOGS;
        }
        throw new IllegalArgumentException(
                "cannot tell the signal: no resourceSpans, resourceMetrics or resourceLogs near the start; pass --signal");
    }

    private static <M extends Message> M parsePb(com.google.protobuf.Parser<M> parser, byte[] bytes)
            throws InvalidPayloadException {
        try {
            return parser.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new InvalidPayloadException("not a valid protobuf export request: " + e.getMessage());
        }
    }

    private Map<String, HmacKeyring> keyrings() throws IOException, RuleValidationException {
        if (hmacKeys != null) {
            return HmacKeyFile.load(hmacKeys);
        }
        byte[] throwAway = new byte[HmacKeyring.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(throwAway);
        return Map.of(tenant, new HmacKeyring("ephemeral", Map.of("ephemeral", throwAway)));
    }
}
