package io.otlpgovernor.local.demo;

import java.util.List;
import java.util.Random;

/** What one demo tenant's services do: their names, the traces of user requests, and traffic of their own. */
interface Scenario {

    /** The services, each its own {@code service.name}. */
    List<String> services();

    /** One user request: the root call of a trace. */
    Call request(Random random);

    /**
     * Traffic that does not follow the request rate — health checks, batch jobs, late uploads — for second
     * {@code second} of the run (0, 1, 2, …): the root calls of its traces.
     */
    List<Call> background(long second, Random random);
}
