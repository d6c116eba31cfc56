package io.otlpgovernor.rules.pipeline.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.otlpgovernor.contract.TenantIds;
import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import io.otlpgovernor.rules.ruleset.RuleValidationException;
import io.otlpgovernor.rules.yaml.Problem;

/**
 * The rule sets in force in one task: the files the job started with, overridden by newer versions accepted from
 * the rules topic. Accepted messages live in Flink broadcast state (tenant → message JSON) — passed in as a plain
 * map view so this class stays free of Flink — and compiled forms are cached here per tenant.
 *
 * <p>{@link #consider} is deterministic: its answer depends only on the update, the state and the start-up files,
 * never on time or on the task, which is what keeps every task's broadcast state identical.
 */
public final class RuleRegistry {

    private final Map<String, byte[]> initial;
    private final Set<String> knownTiers;
    private final Map<String, HmacKeyring> keyrings;
    private final Map<String, Optional<TenantRules>> compiled = new HashMap<>();
    private final Map<String, String> unusable = new HashMap<>();

    /**
     * @param initial    tenant → rule set message JSON, from the files the job was started with
     * @param knownTiers the retention tiers whose topics exist
     * @param keyrings   tenant → HMAC keys
     */
    public RuleRegistry(Map<String, byte[]> initial, Set<String> knownTiers, Map<String, HmacKeyring> keyrings) {
        this.initial = Map.copyOf(initial);
        this.knownTiers = Set.copyOf(knownTiers);
        this.keyrings = Map.copyOf(keyrings);
    }

    /**
     * The tenant's rules in force, or empty when it has none or they cannot be applied here (see
     * {@link #whyUnusable}). {@code accepted} reads the broadcast state: tenant → accepted message JSON, or null.
     */
    public Optional<TenantRules> rules(String tenant, Function<String, byte[]> accepted) {
        Optional<TenantRules> cached = compiled.get(tenant);
        if (cached != null) {
            return cached;
        }
        Optional<TenantRules> built = inForce(tenant, accepted).flatMap(message -> compileForUse(tenant, message));
        compiled.put(tenant, built);
        return built;
    }

    /** Why {@link #rules} found nothing for the tenant: a sentence for a dead letter, naming no secret. */
    public String whyUnusable(String tenant) {
        return unusable.getOrDefault(tenant, "tenant " + tenant + " has no rule set");
    }

    /** The outcome of a rules-topic record; on {@code ACCEPTED} the caller stores its value and calls {@link #forget}. */
    public RuleChange consider(RuleUpdate update, Function<String, byte[]> accepted) {
        String tenant = update.tenant();
        if (tenant == null || TenantIds.problem(tenant).isPresent()) {
            return rejected(tenant == null ? "" : "(malformed)", -1, -1, "record key: not a valid tenant id", update);
        }
        long previous = inForce(tenant, accepted).map(RuleSetMessage::version).orElse(-1L);
        if (update.value() == null) {
            return rejected(
                    tenant,
                    -1,
                    previous,
                    "a deletion marker cannot remove a rule set; publish a new version instead",
                    update);
        }
        RuleSetMessage message;
        try {
            message = RuleSetMessage.fromJson(update.value());
        } catch (IllegalArgumentException e) {
            return rejected(tenant, -1, previous, e.getMessage(), update);
        }
        if (!message.tenant().equals(tenant)) {
            return rejected(
                    tenant, message.version(), previous, "the message is for another tenant than its key", update);
        }
        if (message.version() < previous) {
            return new RuleChange(
                    RuleChange.Outcome.STALE, tenant, message.version(), previous, List.of(), update.offset());
        }
        if (message.version() == previous) {
            boolean same = inForce(tenant, accepted).map(m -> m.equals(message)).orElse(false);
            return same
                    ? new RuleChange(
                            RuleChange.Outcome.UNCHANGED,
                            tenant,
                            message.version(),
                            previous,
                            List.of(),
                            update.offset())
                    : rejected(
                            tenant,
                            message.version(),
                            previous,
                            "the rules changed but version " + previous + " did not rise",
                            update);
        }
        List<String> problems = problemsWith(message);
        return problems.isEmpty()
                ? new RuleChange(
                        RuleChange.Outcome.ACCEPTED, tenant, message.version(), previous, List.of(), update.offset())
                : new RuleChange(
                        RuleChange.Outcome.REJECTED, tenant, message.version(), previous, problems, update.offset());
    }

    /** Tenant → HMAC keys, for the engine. */
    public Map<String, HmacKeyring> keyrings() {
        return keyrings;
    }

    /** Drops the tenant's compiled rules, after its broadcast state changed. */
    public void forget(String tenant) {
        compiled.remove(tenant);
        unusable.remove(tenant);
    }

    private List<String> problemsWith(RuleSetMessage message) {
        try {
            TenantRules.compile(message.load(), keyrings.get(message.tenant()), knownTiers);
            return List.of();
        } catch (RuleValidationException e) {
            return e.problems().stream().map(Problem::toString).toList();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /** The newer of the accepted message and the start-up file's. */
    private Optional<RuleSetMessage> inForce(String tenant, Function<String, byte[]> accepted) {
        Optional<RuleSetMessage> fromState =
                Optional.ofNullable(accepted.apply(tenant)).map(RuleSetMessage::fromJson);
        Optional<RuleSetMessage> fromFiles =
                Optional.ofNullable(initial.get(tenant)).map(RuleSetMessage::fromJson);
        if (fromState.isEmpty()) {
            return fromFiles;
        }
        if (fromFiles.isEmpty()) {
            return fromState;
        }
        return fromState.get().version() >= fromFiles.get().version() ? fromState : fromFiles;
    }

    private Optional<TenantRules> compileForUse(String tenant, RuleSetMessage message) {
        try {
            RuleSet set = message.load();
            return Optional.of(TenantRules.compile(set, keyrings.get(tenant), knownTiers));
        } catch (RuleValidationException | IllegalArgumentException e) {
            // Accepted once, but no longer applicable here (a key removed from the keys file, say): its data is
            // dead-lettered with this reason rather than governed by a guess.
            unusable.put(
                    tenant,
                    "rule set version " + message.version() + " of tenant " + tenant + " cannot be applied: "
                            + describe(e));
            return Optional.empty();
        }
    }

    private static String describe(Exception e) {
        return e instanceof RuleValidationException invalid
                ? invalid.problems().stream().map(Problem::toString).collect(java.util.stream.Collectors.joining("; "))
                : e.getMessage();
    }

    private static RuleChange rejected(String tenant, long version, long previous, String problem, RuleUpdate update) {
        List<String> problems = new ArrayList<>();
        problems.add(problem);
        return new RuleChange(RuleChange.Outcome.REJECTED, tenant, version, previous, problems, update.offset());
    }
}
