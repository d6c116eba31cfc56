package io.otlpgovernor.rules.protection;

import java.util.Locale;

import io.otlpgovernor.rules.classification.ClassificationRules.KeyNameRule;
import io.otlpgovernor.rules.classification.detectors.SensitiveKeyNames;

/**
 * Whether an attribute key names a secret or personal datum: the built-in names, plus a rule set's extra names
 * matched as whole words of the normalised key ({@code cvv} matches {@code card.cvv} and {@code cardCvv}, not
 * {@code cvvx}).
 */
final class KeyNames {

    private static final SensitiveKeyNames BUILT_IN = new SensitiveKeyNames();

    private KeyNames() {}

    static boolean isSensitive(String key, KeyNameRule rule) {
        if (BUILT_IN.isSensitive(key)) {
            return true;
        }
        if (rule.extra().isEmpty()) {
            return false;
        }
        String words = "_" + normalise(key) + "_";
        for (String extra : rule.extra()) {
            if (words.contains("_" + normalise(extra) + "_")) {
                return true;
            }
        }
        return false;
    }

    /** Lower case, camelCase split, every run of non-alphanumerics as one {@code _}. */
    static String normalise(String key) {
        String split = key.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return split.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }
}
