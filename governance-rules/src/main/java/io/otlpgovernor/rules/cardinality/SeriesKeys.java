package io.otlpgovernor.rules.cardinality;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.otlpgovernor.rules.sampling.Xxh64;

/**
 * Series identity and the names of the entries a {@link SeriesStore} holds.
 *
 * <p>A series is its metric name, its resource's attributes, its scope (name, version, attributes) and its data
 * point's attributes, each attribute set taken in key order (the order a client sends them in does not make a new
 * series). It is held as a 128-bit fingerprint of that canonical form — two XXH64 hashes with different seeds — so
 * the active set is a set of series, not an estimate: two different series share a fingerprint with a probability of
 * about n²/2¹²⁹, one in 10²⁹ for a million series. A fingerprint reveals no attribute value.
 */
public final class SeriesKeys {

    private static final long SEED_HIGH = 0x6F746C70L;
    private static final long SEED_LOW = 0x636172646EL;
    private static final char SEPARATOR = '\u001f';
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    /** Store entry of a series: {@code s<metric>␟<fingerprint>}. */
    static final char SERIES = 's';
    /** Store entry of an attribute value: {@code v<metric>␟<key>␟<fingerprint>}. */
    static final char VALUE = 'v';

    private SeriesKeys() {}

    /** The canonical form of a resource, computed once per resource of a request. */
    public static byte[] resource(Resource resource) {
        return attributes(resource.getAttributesList());
    }

    /** The canonical form of a scope, computed once per scope of a request. */
    public static byte[] scope(InstrumentationScope scope) {
        Canonical out = new Canonical();
        out.text(scope.getName());
        out.text(scope.getVersion());
        out.bytes(attributes(scope.getAttributesList()));
        return out.toArray();
    }

    /** The store entry of the series of a data point with {@code attributes} of metric {@code name}. */
    public static String series(String name, byte[] resource, byte[] scope, List<KeyValue> attributes) {
        Canonical out = new Canonical();
        out.text(name);
        out.bytes(resource);
        out.bytes(scope);
        out.bytes(attributes(attributes));
        return SERIES + name + SEPARATOR + fingerprint(out.toArray());
    }

    /** The store entry of value {@code value} of attribute {@code key} of metric {@code name}. */
    public static String value(String name, String key, AnyValue value) {
        return VALUE + name + SEPARATOR + key + SEPARATOR + fingerprint(value.toByteArray());
    }

    /** The metric a store entry belongs to. */
    static String metricOf(String entry) {
        return entry.substring(1, entry.indexOf(SEPARATOR));
    }

    /** The attribute key of a value entry. */
    static String attributeOf(String valueEntry) {
        int first = valueEntry.indexOf(SEPARATOR);
        return valueEntry.substring(first + 1, valueEntry.indexOf(SEPARATOR, first + 1));
    }

    /** 64 well-mixed bits of an entry's fingerprint, for sketches. */
    static long hashOf(String entry) {
        byte[] fingerprint = Base64.getUrlDecoder().decode(entry.substring(entry.lastIndexOf(SEPARATOR) + 1));
        long bits = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            bits = bits << 8 | (fingerprint[i] & 0xFFL);
        }
        return bits;
    }

    /** Counter of a scope's active series: the whole key ({@code ""}) or one metric. */
    static String seriesCounter(String metric) {
        return "m" + metric;
    }

    static final String TOTAL_COUNTER = "t";

    /** Counter of the distinct values of one attribute of one metric. */
    static String valuesCounter(String metric, String key) {
        return "a" + metric + SEPARATOR + key;
    }

    private static String fingerprint(byte[] canonical) {
        long high = Xxh64.hash(canonical, SEED_HIGH);
        long low = Xxh64.hash(canonical, SEED_LOW);
        byte[] bits = new byte[16];
        for (int i = 0; i < Long.BYTES; i++) {
            bits[i] = (byte) (high >>> (56 - 8 * i));
            bits[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return BASE64.encodeToString(bits);
    }

    /** Attributes in key order (then value order, should a key repeat), each key and value length-prefixed. */
    private static byte[] attributes(List<KeyValue> attributes) {
        if (attributes.isEmpty()) {
            return new byte[0];
        }
        byte[][] keys = new byte[attributes.size()][];
        byte[][] values = new byte[attributes.size()][];
        Integer[] order = new Integer[attributes.size()];
        for (int i = 0; i < order.length; i++) {
            keys[i] = attributes.get(i).getKey().getBytes(StandardCharsets.UTF_8);
            values[i] = attributes.get(i).getValue().toByteArray();
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byKey = Arrays.compare(keys[a], keys[b]);
            return byKey != 0 ? byKey : Arrays.compare(values[a], values[b]);
        });
        Canonical out = new Canonical();
        for (int i : order) {
            out.bytes(keys[i]);
            out.bytes(values[i]);
        }
        return out.toArray();
    }

    /** A growing byte buffer of length-prefixed fields. */
    private static final class Canonical {
        private byte[] buffer = new byte[128];
        private int size;

        void text(String text) {
            bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] field) {
            ensure(4 + field.length);
            buffer[size++] = (byte) (field.length >>> 24);
            buffer[size++] = (byte) (field.length >>> 16);
            buffer[size++] = (byte) (field.length >>> 8);
            buffer[size++] = (byte) field.length;
            System.arraycopy(field, 0, buffer, size, field.length);
            size += field.length;
        }

        byte[] toArray() {
            return Arrays.copyOf(buffer, size);
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
