package io.otlpgovernor.faults;

import org.junit.jupiter.api.AfterEach;

/** What every scenario shares: the system it starts, whose processes are killed when the test ends, passed or failed. */
abstract class FaultScenario {

    protected FaultSystem system;

    @AfterEach
    void stopSystem() {
        if (system != null) {
            system.close();
        }
    }
}
