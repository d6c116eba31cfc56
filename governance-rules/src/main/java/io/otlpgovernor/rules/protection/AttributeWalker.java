package io.otlpgovernor.rules.protection;

import java.util.ArrayList;
import java.util.List;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.otlpgovernor.rules.classification.FieldSite;

/**
 * Governs attribute lists and {@link AnyValue}s, copy-on-write: an unchanged list or value is returned as the
 * same instance, so the common case allocates nothing. Strings and integers are classified (integers as their
 * decimal text, so a card number sent as a number is found); arrays and key-value lists are walked.
 */
final class AttributeWalker {

    /** A drop-record rule fired; the caller removes the record. Signalled by return value {@link #DROP_RECORD}. */
    static final List<KeyValue> DROP_RECORD = List.of(KeyValue.getDefaultInstance());

    private static final AnyValue DROP_VALUE =
            AnyValue.newBuilder().setStringValue("\u0000drop").build();
    private static final AnyValue DROP_RECORD_VALUE =
            AnyValue.newBuilder().setStringValue("\u0000drop-record").build();

    private final ValueProtector protector;

    AttributeWalker(ValueProtector protector) {
        this.protector = protector;
    }

    /**
     * Governs {@code attributes} at {@code site}; returns the same list when nothing changed, a new list when
     * something did, or {@link #DROP_RECORD} when the record must be removed.
     */
    List<KeyValue> attributes(CompiledRules rules, FieldSite site, List<KeyValue> attributes, Decisions decisions) {
        if (attributes.isEmpty() || !rules.classifies(site)) {
            return attributes;
        }
        return keyValues(rules, site.id() + ".attributes", attributes, decisions);
    }

    private List<KeyValue> keyValues(
            CompiledRules rules, String prefix, List<KeyValue> attributes, Decisions decisions) {
        List<KeyValue> result = null;
        for (int i = 0; i < attributes.size(); i++) {
            KeyValue attribute = attributes.get(i);
            String key = attribute.getKey();
            CompiledRules.KeyPlan plan = rules.plan(key);
            if (plan.excluded()) {
                if (result != null) {
                    result.add(attribute);
                }
                continue;
            }
            String governedKey = key;
            if (plan.holdsSensitiveValue()) {
                ValueProtector.Outcome outcome =
                        protector.protect(rules, rules.freeText(), key, () -> prefix + "[*].key", decisions);
                if (outcome.strongest() == Action.DROP_RECORD) {
                    return DROP_RECORD;
                }
                if (outcome.strongest() == Action.DROP_ATTRIBUTE) {
                    result = result == null ? new ArrayList<>(attributes.subList(0, i)) : result;
                    continue;
                }
                governedKey = outcome.changed() ? outcome.text() : key;
            }
            AnyValue governed = value(rules, key, plan, prefix, attribute.getValue(), decisions);
            if (governed == DROP_RECORD_VALUE) {
                return DROP_RECORD;
            }
            boolean changed = governed != attribute.getValue() || !governedKey.equals(key);
            if (changed && result == null) {
                result = new ArrayList<>(attributes.subList(0, i));
            }
            if (result != null && governed != DROP_VALUE) {
                result.add(
                        !changed
                                ? attribute
                                : attribute.toBuilder()
                                        .setKey(governedKey)
                                        .setValue(governed)
                                        .build());
            }
        }
        return result == null ? attributes : result;
    }

    /**
     * Governs a body or other free-standing value at {@code path}; returns the same instance when unchanged, an
     * empty value when it must go, or null when the record must be dropped.
     */
    AnyValue freeValue(CompiledRules rules, String path, AnyValue value, Decisions decisions) {
        AnyValue governed = value(rules, null, rules.freeText(), path, value, decisions);
        if (governed == DROP_RECORD_VALUE) {
            return null;
        }
        return governed == DROP_VALUE ? AnyValue.getDefaultInstance() : governed;
    }

    /** {@code key} is null for free-standing values; {@code plan} is its plan, or the free-text plan. */
    private AnyValue value(
            CompiledRules rules,
            String key,
            CompiledRules.KeyPlan plan,
            String prefix,
            AnyValue value,
            Decisions decisions) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> text(rules, key, plan, prefix, value, value.getStringValue(), decisions);
            case INT_VALUE -> text(rules, key, plan, prefix, value, Long.toString(value.getIntValue()), decisions);
            case ARRAY_VALUE -> array(rules, key, plan, prefix, value, decisions);
            case KVLIST_VALUE -> kvList(rules, key, plan, prefix, value, decisions);
            default -> value;
        };
    }

    private AnyValue text(
            CompiledRules rules,
            String key,
            CompiledRules.KeyPlan plan,
            String prefix,
            AnyValue original,
            String text,
            Decisions decisions) {
        ValueProtector.Outcome outcome = protector.protect(rules, plan, text, () -> path(prefix, key, plan), decisions);
        if (outcome.strongest() == Action.DROP_RECORD) {
            return DROP_RECORD_VALUE;
        }
        if (outcome.strongest() == Action.DROP_ATTRIBUTE) {
            return DROP_VALUE;
        }
        return outcome.changed()
                ? AnyValue.newBuilder().setStringValue(outcome.text()).build()
                : original;
    }

    /** Array elements share their attribute's key; if one element must go, the attribute goes. */
    private AnyValue array(
            CompiledRules rules,
            String key,
            CompiledRules.KeyPlan plan,
            String prefix,
            AnyValue original,
            Decisions decisions) {
        List<AnyValue> values = original.getArrayValue().getValuesList();
        List<AnyValue> result = null;
        for (int i = 0; i < values.size(); i++) {
            AnyValue governed = value(rules, key, plan, prefix, values.get(i), decisions);
            if (governed == DROP_RECORD_VALUE || governed == DROP_VALUE) {
                return governed;
            }
            if (governed != values.get(i) && result == null) {
                result = new ArrayList<>(values);
            }
            if (result != null) {
                result.set(i, governed);
            }
        }
        return result == null
                ? original
                : AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addAllValues(result))
                        .build();
    }

    /** Nested key-value lists: each nested key is classified by its own name and value. */
    private AnyValue kvList(
            CompiledRules rules,
            String key,
            CompiledRules.KeyPlan plan,
            String prefix,
            AnyValue original,
            Decisions decisions) {
        List<KeyValue> nested = original.getKvlistValue().getValuesList();
        List<KeyValue> governed = keyValues(rules, path(prefix, key, plan), nested, decisions);
        if (governed == DROP_RECORD) {
            return DROP_RECORD_VALUE;
        }
        return governed == nested
                ? original
                : AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addAllValues(governed))
                        .build();
    }

    /**
     * The field path of an attribute, e.g. {@code span.attributes[user.email]}. A key that itself contains
     * something a detector finds (maps keyed by email address happen) is written as {@code *}, so paths never
     * carry a sensitive value; the key itself is protected like a value, with path {@code …[*].key}.
     */
    static String path(String prefix, String key, CompiledRules.KeyPlan plan) {
        if (key == null) {
            return prefix;
        }
        return plan.holdsSensitiveValue() ? prefix + "[*]" : prefix + "[" + key + "]";
    }
}
