package io.otlpgovernor.job.operators;

import java.util.HashSet;
import java.util.Set;

/**
 * Bounds the number of distinct tenant label values one operator instance exports as metrics.
 *
 * <p>The first {@code limit} tenants seen get their own label; later ones share {@link #OVERFLOW}, so a burst of
 * new tenants cannot blow up the metric system. Tenant ids are validated before they get here, so label values
 * are short and plain.
 */
final class TenantLabels {

    static final String OVERFLOW = "_other";

    private final int limit;
    private final Set<String> labelled = new HashSet<>();

    TenantLabels(int limit) {
        this.limit = limit;
    }

    /** The label value to use for {@code tenant}. */
    String labelFor(String tenant) {
        if (labelled.contains(tenant)) {
            return tenant;
        }
        if (labelled.size() < limit) {
            labelled.add(tenant);
            return tenant;
        }
        return OVERFLOW;
    }
}
