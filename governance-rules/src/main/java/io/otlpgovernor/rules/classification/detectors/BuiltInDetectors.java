package io.otlpgovernor.rules.classification.detectors;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Placeholder registry until the built-in detectors land. */
public final class BuiltInDetectors {
    private static final Map<String, String> LABELS = new TreeMap<>(Map.ofEntries(
            Map.entry("email", "pii"), Map.entry("phone", "pii"), Map.entry("us-ssn", "pii"), Map.entry("iban", "pii"),
            Map.entry("payment-card", "pci"), Map.entry("ipv4", "pii"), Map.entry("ipv6", "pii"), Map.entry("jwt", "secret"),
            Map.entry("cloud-access-key", "secret"), Map.entry("bearer-token", "secret"), Map.entry("private-key", "secret")));

    private BuiltInDetectors() {
    }

    public static Set<String> ids() {
        return LABELS.keySet();
    }

    public static String defaultLabel(String id) {
        return LABELS.get(id);
    }

    public static Detector byId(String id) {
        throw new IllegalArgumentException("unknown detector " + id);
    }
}
