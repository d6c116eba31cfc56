package io.otlpgovernor.bridge.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a gzip body without ever holding more than the limit: reading stops one byte past it, so a small
 * "gzip bomb" that would expand to gigabytes costs at most the limit in heap.
 */
final class BoundedGzip {

    /** The body would be larger than allowed once decompressed. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private BoundedGzip() {}

    /**
     * @throws TooLarge   if the decompressed body exceeds {@code limit} bytes
     * @throws IOException if {@code compressed} is not valid gzip
     */
    static byte[] decompress(byte[] compressed, int limit) throws TooLarge, IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 64 * 1024)) {
            byte[] body = in.readNBytes(limit);
            if (in.read() != -1) {
                throw new TooLarge();
            }
            return body;
        }
    }
}
