package io.otlpgovernor.rules.quota;

import java.util.Objects;

/**
 * What a {@link QuotaGate} remembers about one tenant: the ledger, and what downsampling needs to keep its
 * threshold stable — the current threshold and the load offered in the current and the previous one-second
 * window. A value, like the ledger, so the operator keeps it in keyed state and every decision is reproducible
 * from the sequence of inputs.
 *
 * @param ledger             rate and daily accounting
 * @param threshold16        the downsampling threshold as its high 16 bits ({@code T = threshold16 << 40}),
 *                           0 to 0xffff; 0 keeps everything
 * @param windowStartNanos   start of the current window: a whole second of the passed-in time
 * @param offeredInWindow    units offered in the current window, counted in the rate's unit
 * @param offeredLastWindow  units offered in the previous window (0 when it saw nothing)
 */
public record QuotaState(
        QuotaLedger ledger, int threshold16, long windowStartNanos, long offeredInWindow, long offeredLastWindow) {

    /**
     * @throws IllegalArgumentException when {@code threshold16} is not 0 to 0xffff or a count is negative
     * @throws NullPointerException     without a ledger
     */
    public QuotaState {
        Objects.requireNonNull(ledger, "ledger");
        if (threshold16 < 0 || threshold16 > 0xffff) {
            throw new IllegalArgumentException("threshold16 must be 0 to 0xffff, got " + threshold16);
        }
        if (offeredInWindow < 0 || offeredLastWindow < 0) {
            throw new IllegalArgumentException("offered counts must not be negative");
        }
    }
}
