package io.otlpgovernor.job.types;

import java.io.IOException;

import io.otlpgovernor.rules.pipeline.model.TracePiece;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Serializes a {@link TracePiece} in its own binary form ({@link TracePiece#writeTo}). */
public final class TracePieceSerializer extends RecordSerializer<TracePiece> {

    public static final TracePieceSerializer INSTANCE = new TracePieceSerializer();
    public static final TypeInformation<TracePiece> TYPE = new RecordTypeInfo<>(TracePiece.class, INSTANCE);

    private TracePieceSerializer() {}

    @Override
    public TracePiece createInstance() {
        return null;
    }

    @Override
    public void serialize(TracePiece piece, DataOutputView out) throws IOException {
        piece.writeTo(out);
    }

    @Override
    public TracePiece deserialize(DataInputView in) throws IOException {
        return TracePiece.readFrom(in);
    }

    @Override
    public TypeSerializerSnapshot<TracePiece> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 of {@link TracePiece#writeTo}. */
    public static final class Snapshot extends RecordSerializer.Snapshot<TracePiece> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
