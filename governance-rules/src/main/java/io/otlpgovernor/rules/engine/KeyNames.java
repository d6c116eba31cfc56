package io.otlpgovernor.rules.engine;

import io.otlpgovernor.rules.classification.ClassificationRules.KeyNameRule;
import io.otlpgovernor.rules.classification.detectors.SensitiveKeyNames;

/** Whether an attribute key names a secret or personal datum: the built-in names plus a rule set's extra ones. */
final class KeyNames {

    private KeyNames() {
    }

    static boolean isSensitive(String key, KeyNameRule rule) {
        return SensitiveKeyNames.isSensitive(key) || (!rule.extra().isEmpty() && rule.extra().contains(key.toLowerCase(java.util.Locale.ROOT)));
    }
}
