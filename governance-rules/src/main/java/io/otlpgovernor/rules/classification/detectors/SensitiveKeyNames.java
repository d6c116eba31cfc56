package io.otlpgovernor.rules.classification.detectors;

/** Placeholder until the key-name classifier lands. */
public final class SensitiveKeyNames {
    private SensitiveKeyNames() {
    }

    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.endsWith("password") || k.endsWith("authorization") || k.endsWith("ssn");
    }
}
