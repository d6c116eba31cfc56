package io.otlpgovernor.bridge.limits;

import java.util.concurrent.Semaphore;

/**
 * The number of requests the bridge handles at once, over both transports. A request that finds no free slot is
 * refused at once (retryable) instead of queueing: queued requests would hold memory and threads while their
 * clients time out anyway.
 */
public final class InFlightLimit {

    private final int max;
    private final Semaphore slots;

    public InFlightLimit(int max) {
        this.max = max;
        this.slots = new Semaphore(max);
    }

    /** Takes a slot if one is free; the caller must {@link #release()} it once the request is answered. */
    public boolean tryAcquire() {
        return slots.tryAcquire();
    }

    public void release() {
        slots.release();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return max - slots.availablePermits();
    }
}
