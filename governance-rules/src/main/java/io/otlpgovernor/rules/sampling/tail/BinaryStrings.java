package io.otlpgovernor.rules.sampling.tail;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Strings in the binary form of tail-sampling records (trace pieces, summaries, states): a length, then UTF-8, of
 * any length. Not {@link DataOutput#writeUTF}, which fails beyond 65,535 bytes: a service name and a trace id come
 * from clients, and a record that cannot be serialized would stop the job on every retry.
 */
public final class BinaryStrings {

    private BinaryStrings() {}

    public static void write(DataOutput out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    public static String read(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative string length " + length + " in a tail-sampling record");
        }
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
