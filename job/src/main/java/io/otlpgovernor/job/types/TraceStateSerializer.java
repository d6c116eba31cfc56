package io.otlpgovernor.job.types;

import java.io.IOException;

import io.otlpgovernor.rules.pipeline.model.TraceState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes a {@link TraceState} in its own binary form ({@link TraceState#writeTo}). */
public final class TraceStateSerializer extends RecordSerializer<TraceState> {

    public static final TraceStateSerializer INSTANCE = new TraceStateSerializer();
    public static final TypeInformation<TraceState> TYPE = new RecordTypeInfo<>(TraceState.class, INSTANCE);

    private TraceStateSerializer() {}

    @Override
    public TraceState createInstance() {
        return null;
    }

    @Override
    public void serialize(TraceState piece, DataOutputView out) throws IOException {
        piece.writeTo(out);
    }

    @Override
    public TraceState deserialize(DataInputView in) throws IOException {
        return TraceState.readFrom(in);
    }

    @Override
    public TypeSerializerSnapshot<TraceState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 of {@link TraceState#writeTo}. */
    public static final class Snapshot extends RecordSerializer.Snapshot<TraceState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
