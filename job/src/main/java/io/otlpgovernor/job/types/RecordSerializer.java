package io.otlpgovernor.job.types;

import java.io.IOException;
import java.util.function.Supplier;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A stateless serializer of an immutable record: subclasses write and read the fields; copying is the identity,
 * and copying serialized bytes reads and writes the record.
 */
abstract class RecordSerializer<T> extends TypeSerializerSingleton<T> {

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T copy(T from) {
        return from;
    }

    @Override
    public final T copy(T from, T reuse) {
        return from;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public final void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    /**
     * The snapshot of a record serializer: compatible as it is with its own format; state written by any other
     * serializer of the same state (the reflective POJO serializer of earlier releases) is read with that
     * serializer and written again with this one, once, when a savepoint is restored.
     *
     * <p>The snapshot stands for one binary form. Changing a record's {@code writeTo} therefore needs a new
     * snapshot class whose serializer still reads the old form (its {@code restoreSerializer}), or state in
     * savepoints would be read in the wrong form.
     */
    abstract static class Snapshot<T> extends SimpleTypeSerializerSnapshot<T> {

        Snapshot(Supplier<? extends TypeSerializer<T>> serializer) {
            super(serializer);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
            if (old.getClass() == getClass()) {
                return super.resolveSchemaCompatibility(old);
            }
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
