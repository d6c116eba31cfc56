package io.otlpgovernor.job.operators;

import java.util.function.Function;

import io.otlpgovernor.rules.pipeline.model.RuleUpdate;
import io.otlpgovernor.rules.pipeline.registry.RuleChange;
import io.otlpgovernor.rules.pipeline.registry.RuleRegistry;
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

    private RulesBroadcast() {}

    /** The broadcast state's descriptor, for {@code DataStream.broadcast}. */
    public static MapStateDescriptor<String, byte[]> descriptor() {
        return RULE_SETS;
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

    /** Decides on {@code update} and, when accepted, stores it and drops the tenant's compiled rules. */
    static RuleChange apply(RuleRegistry registry, RuleUpdate update, BroadcastState<String, byte[]> state)
            throws Exception {
        if (update.isSubject()) {
            // Subject entries are the governing step's alone (see GovernFunction); rule sets are unchanged by them.
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
