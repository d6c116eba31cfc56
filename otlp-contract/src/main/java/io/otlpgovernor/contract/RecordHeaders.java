package io.otlpgovernor.contract;

/**
 * Kafka record header names of the topic contract. Header values are UTF-8 strings.
 */
public final class RecordHeaders {

    /**
     * The tenant that owns the record. On input topics only the ingest bridge sets it, from the authenticated
     * credential; output topics carry it unchanged.
     */
    public static final String TENANT = "tenant";

    /** The signal of an output record: {@code spans}, {@code metrics} or {@code logs}. */
    public static final String SIGNAL = "signal";

    /** The retention tier an output record was written to. */
    public static final String RETENTION_TIER = "retention-tier";

    /** The version of the tenant's rule set that governed an output record. */
    public static final String RULE_SET_VERSION = "rule-set-version";

    /** Classification labels found in an output record, comma-separated and sorted; absent when none. */
    public static final String LABELS = "classification-labels";

    /** Why a record was dead-lettered: a sentence naming what is wrong and where. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";

    /** Where a dead-lettered record came from: topic, partition and offset. */
    public static final String SOURCE_TOPIC = "source-topic";

    public static final String SOURCE_PARTITION = "source-partition";
    public static final String SOURCE_OFFSET = "source-offset";

    private RecordHeaders() {}
}
