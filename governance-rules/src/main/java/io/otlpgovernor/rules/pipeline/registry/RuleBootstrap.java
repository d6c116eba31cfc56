package io.otlpgovernor.rules.pipeline.registry;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.otlpgovernor.rules.protection.HmacKeyFile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.retention.RetentionRules;
import io.otlpgovernor.rules.ruleset.RuleBook;
import io.otlpgovernor.rules.ruleset.RuleLoader;
import io.otlpgovernor.rules.ruleset.RuleSet;
import io.otlpgovernor.rules.ruleset.RuleSetMessage;
import io.otlpgovernor.rules.ruleset.RuleSources;
import io.otlpgovernor.rules.ruleset.RuleValidationException;

/**
 * What the job's rule-aware operators start from, shipped with the job graph: the start-up rule files (as rules-topic
 * messages), the retention tiers the deployment has topics for, and where the HMAC keys file is. The keys themselves
 * are read from that file by each task when it opens — they never travel in the job graph.
 */
public final class RuleBootstrap implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HashMap<String, byte[]> initialMessages;
    private final TreeMap<String, Duration> tiers;
    private final String hmacKeysFile;

    private RuleBootstrap(Map<String, byte[]> initialMessages, Map<String, Duration> tiers, String hmacKeysFile) {
        this.initialMessages = new HashMap<>(initialMessages);
        this.tiers = new TreeMap<>(tiers);
        this.hmacKeysFile = hmacKeysFile;
    }

    /**
     * Loads and checks the rules directory and the keys file: every tenant's rule set must validate and compile
     * with its keys, or the job does not start. Known tiers are the built-in ones plus every tier the files define.
     *
     * @param rulesDirectory the directory holding {@code presets/} and {@code tenants/}
     * @param hmacKeysFile   the HMAC keys file, or null when no rule hashes
     */
    public static RuleBootstrap load(Path rulesDirectory, Path hmacKeysFile)
            throws RuleValidationException, IOException {
        RuleBook book = RuleLoader.load(RuleSources.fromDirectory(rulesDirectory));
        Map<String, HmacKeyring> keyrings = hmacKeysFile == null ? Map.of() : HmacKeyFile.load(hmacKeysFile);
        Map<String, Duration> tiers = new TreeMap<>(RetentionRules.BUILT_IN_TIERS);
        // A tier several tenants define differently gets the longest retention: its topic must keep data for all.
        book.tenants()
                .values()
                .forEach(set -> set.retention()
                        .tiers()
                        .forEach((tier, retention) ->
                                tiers.merge(tier, retention, (a, b) -> a.compareTo(b) >= 0 ? a : b)));
        Map<String, byte[]> messages = new HashMap<>();
        for (RuleSet set : book.tenants().values()) {
            TenantRules.compile(set, keyrings.get(set.tenant()), tiers.keySet()); // fails fast on a missing key
            messages.put(set.tenant(), RuleSetMessage.of(book, set.tenant()).toJson());
        }
        return new RuleBootstrap(
                messages,
                tiers,
                hmacKeysFile == null ? null : hmacKeysFile.toAbsolutePath().toString());
    }

    /** The retention tiers the deployment has governed topics for, with the retention their topics keep. */
    public Map<String, Duration> tiers() {
        return Collections.unmodifiableMap(tiers);
    }

    /** A registry for one task; reads the keys file now. */
    public RuleRegistry newRegistry() throws IOException, RuleValidationException {
        Map<String, HmacKeyring> keyrings = hmacKeysFile == null ? Map.of() : HmacKeyFile.load(Path.of(hmacKeysFile));
        return new RuleRegistry(initialMessages, tiers.keySet(), keyrings);
    }
}
