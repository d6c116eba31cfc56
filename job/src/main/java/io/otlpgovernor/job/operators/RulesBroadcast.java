package io.otlpgovernor.job.operators;

import java.util.Map;
import java.util.function.Function;

import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.registry.RuleChange;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
import io.otlpgovernor.rules.subjects.SubjectRegistry;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The rules broadcast as the operators hold it: broadcast state maps tenant → accepted rule-set message (JSON).
 * Whole versioned rule sets are broadcast, and each task decides on them the same way, so every task's state is
 * the same.
 */
public final class RulesBroadcast {

    static final MapStateDescriptor<String, byte[]> RULE_SETS =
            new MapStateDescriptor<>("rule-sets", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    /** Suppressed data subjects: subjects-topic key ({@code <tenant>/<entry id>}) → entry JSON. */
    static final MapStateDescriptor<String, byte[]> SUBJECTS =
            new MapStateDescriptor<>("subjects", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private RulesBroadcast() {}

    /** The broadcast state's descriptors, for {@code DataStream.broadcast}. */
    public static MapStateDescriptor<?, ?>[] descriptors() {
        return new MapStateDescriptor<?, ?>[] {RULE_SETS, SUBJECTS};
    }

    /** A read-only view for {@link RuleRegistry}. */
    static Function<String, byte[]> view(ReadOnlyBroadcastState<String, byte[]> state) {
        return tenant -> {
            try {
                return state.get(tenant);
            } catch (Exception e) {
                throw new IllegalStateException("broadcast state cannot be read", e);
            }
        };
    }

    /** The suppressed subjects as {@link SubjectRegistry} reads them. */
    static Iterable<Map.Entry<String, byte[]>> entries(ReadOnlyBroadcastState<String, byte[]> state) {
        try {
            return state.immutableEntries();
        } catch (Exception e) {
            throw new IllegalStateException("broadcast state cannot be read", e);
        }
    }

    /** Decides on a subjects-topic {@code update} and applies it to the state and the registry. */
    static SubjectRegistry.Change applySubject(
            SubjectRegistry registry, RuleUpdate update, BroadcastState<String, byte[]> state) throws Exception {
        SubjectRegistry.Change change = registry.consider(update, view(state));
        switch (change.outcome()) {
            case SUPPRESSED -> state.put(update.tenant(), update.value());
            case LIFTED -> state.remove(update.tenant());
            default -> {
                return change;
            }
        }
        registry.forget(change.tenant());
        return change;
    }

    /** Decides on {@code update} and, when accepted, stores it and drops the tenant's compiled rules. */
    static RuleChange apply(RuleRegistry registry, RuleUpdate update, BroadcastState<String, byte[]> state)
            throws Exception {
        if (update.isSubject()) {
            // Subject entries go to applySubject (the governing step and tail sampling); rule sets are unchanged.
            return new RuleChange(RuleChange.Outcome.UNCHANGED, "", -1, -1, java.util.List.of(), update.offset());
        }
        RuleChange change = registry.consider(update, view(state));
        if (change.outcome() == RuleChange.Outcome.ACCEPTED) {
            state.put(change.tenant(), update.value());
            registry.forget(change.tenant());
        }
        return change;
    }
}
