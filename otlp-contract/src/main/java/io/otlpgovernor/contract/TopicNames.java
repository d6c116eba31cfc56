package io.otlpgovernor.contract;

/**
 * Names of the Kafka topics that make up the system's contract (see the README's topic table).
 *
 * <p>Input topics are the Collector's defaults ({@link Signal#inputTopic()}). Governed output goes to one topic per
 * signal and retention tier, {@code governed_<signal>_<tier>}; names use only underscores because Kafka treats
 * {@code .} and {@code _} as the same character in metric names.
 */
public final class TopicNames {

    /** The tier every record goes to until retention rules assign others. */
    public static final String DEFAULT_TIER = "standard";

    /** Records that are not valid OTLP or lack a tenant: original bytes, reason in a header. */
    public static final String DEAD_LETTER = "governor_deadletter";

    /** Per tenant and short window: what governance did, by which rule and version; and every rule-set change. */
    public static final String AUDIT = "governor_audit";

    /** Per tenant and minute: received, accepted, dropped by reason, bytes and represented counts. */
    public static final String USAGE = "governor_usage";

    /** The compacted topic of versioned rule sets, one record per tenant (key = tenant id). */
    public static final String RULES = "governor_rules";

    /**
     * The compacted topic of suppressed data subjects (key = {@code <tenant>/<entry id>}, value = the entry: HMAC
     * pseudonyms of the identifier, never the identifier; a tombstone lifts the suppression).
     */
    public static final String SUBJECTS = "governor_subjects";

    private TopicNames() {}

    /** The governed output topic of {@code signal} in retention tier {@code tier}. */
    public static String governed(Signal signal, String tier) {
        return "governed_" + signal.id() + "_" + tier;
    }
}
