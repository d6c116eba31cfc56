package io.otlpgovernor.rules.pipeline.model;

/**
 * A record the job could not govern, kept with its original bytes so nothing accepted is lost.
 *
 * @param original the record as read
 * @param reason   what is wrong and where; never quotes payload content
 */
public record DeadLetter(InputRecord original, String reason) {

    /** A decoded record that cannot be governed after all (its tenant has no usable rules), as it was read. */
    public static DeadLetter of(DecodedRecord record, String reason) {
        InputRecord original = new InputRecord(
                record.signal(),
                record.tenant(),
                record.payload(),
                record.source().topic(),
                record.source().partition(),
                record.source().offset(),
                record.arrivalMillis());
        return new DeadLetter(original, reason);
    }
}
