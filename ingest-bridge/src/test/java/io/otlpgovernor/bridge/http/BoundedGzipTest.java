package io.otlpgovernor.bridge.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedGzipTest {

    @Test
    void decompressesABodyWithinTheLimit() throws Exception {
        byte[] body = "hello, collector".getBytes();

        assertThat(BoundedGzip.decompress(gzipZeros(0, body), body.length)).isEqualTo(body);
    }

    @Test
    void refusesABodyOneByteOverTheLimit() {
        byte[] body = new byte[1025];

        assertThatThrownBy(() -> BoundedGzip.decompress(gzipZeros(0, body), 1024))
                .isInstanceOf(BoundedGzip.TooLarge.class);
    }

    @Test
    void stopsAGzipBombWithoutAllocatingWhatItExpandsTo() throws Exception {
        byte[] bomb = gzipZeros(256 * 1024 * 1024, new byte[0]); // 256 MiB of zeros in about 256 KiB
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        assertThatThrownBy(() -> BoundedGzip.decompress(bomb, 1024 * 1024)).isInstanceOf(BoundedGzip.TooLarge.class);

        assertThat(threads.getCurrentThreadAllocatedBytes() - before)
                .as("bytes allocated")
                .isLessThan(8L * 1024 * 1024);
    }

    @Test
    void refusesSomethingThatIsNotGzip() {
        assertThatThrownBy(() -> BoundedGzip.decompress(new byte[] {1, 2, 3, 4}, 1024))
                .isInstanceOf(IOException.class);
    }

    private static byte[] gzipZeros(int zeros, byte[] tail) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
            byte[] chunk = new byte[64 * 1024];
            for (int written = 0; written < zeros; written += chunk.length) {
                gzip.write(chunk, 0, Math.min(chunk.length, zeros - written));
            }
            gzip.write(tail);
        }
        return out.toByteArray();
    }
}
