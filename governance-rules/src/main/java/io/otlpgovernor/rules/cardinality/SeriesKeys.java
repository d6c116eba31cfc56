package io.otlpgovernor.rules.cardinality;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import com.google.protobuf.ByteString;
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

    /** Attribute order in the canonical form: by key, then by value. */
    private static final Comparator<KeyValue> ORDER = Comparator.comparing(KeyValue::getKey)
            .thenComparing(kv -> kv.getValue().toByteString(), ByteString.unsignedLexicographicalComparator());

    private SeriesKeys() {}

    private static boolean inOrder(List<KeyValue> attributes) {
        for (int i = 1; i < attributes.size(); i++) {
            if (ORDER.compare(attributes.get(i - 1), attributes.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The canonical form of a resource, computed once per resource of a request. */
    public static byte[] resource(Resource resource) {
        Canonical out = new Canonical();
        out.attributes(resource.getAttributesList());
        return out.toArray();
    }

    /** The canonical form of a scope, computed once per scope of a request. */
    public static byte[] scope(InstrumentationScope scope) {
        Canonical out = new Canonical();
        out.text(scope.getName());
        out.text(scope.getVersion());
        out.attributes(scope.getAttributesList());
        return out.toArray();
    }

    /** The store entry of the series of a data point with {@code attributes} of metric {@code name}. */
    public static String series(String name, byte[] resource, byte[] scope, List<KeyValue> attributes) {
        Canonical out = new Canonical();
        out.text(name);
        out.bytes(resource);
        out.bytes(scope);
        out.attributes(attributes);
        return SERIES + name + SEPARATOR + fingerprint(out.buffer, out.size);
    }

    /** The store entry of value {@code value} of attribute {@code key} of metric {@code name}. */
    public static String value(String name, String key, AnyValue value) {
        Canonical out = new Canonical();
        out.value(value);
        return VALUE + name + SEPARATOR + key + SEPARATOR + fingerprint(out.buffer, out.size);
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

    private static String fingerprint(byte[] canonical, int length) {
        long high = Xxh64.hash(canonical, length, SEED_HIGH);
        long low = Xxh64.hash(canonical, length, SEED_LOW);
        byte[] bits = new byte[16];
        for (int i = 0; i < Long.BYTES; i++) {
            bits[i] = (byte) (high >>> (56 - 8 * i));
            bits[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return BASE64.encodeToString(bits);
    }

    /**
     * A growing byte buffer of the canonical form: length-prefixed fields; an attribute list as its size and then
     * each key and typed value in key order (then value order, should a key repeat), so that no two different
     * series have the same form.
     */
    private static final class Canonical {
        private byte[] buffer = new byte[256];
        private int size;

        void text(String text) {
            bytes(text.getBytes(StandardCharsets.UTF_8));
        }

        void bytes(byte[] field) {
            number(field.length);
            ensure(field.length);
            System.arraycopy(field, 0, buffer, size, field.length);
            size += field.length;
        }

        void attributes(List<KeyValue> attributes) {
            number(attributes.size());
            List<KeyValue> ordered = attributes;
            if (!inOrder(attributes)) {
                ordered = new ArrayList<>(attributes);
                ordered.sort(ORDER);
            }
            for (KeyValue attribute : ordered) {
                text(attribute.getKey());
                value(attribute.getValue());
            }
        }

        /** A value by its type: the common scalar types directly, anything else as its protobuf encoding. */
        void value(AnyValue value) {
            switch (value.getValueCase()) {
                case STRING_VALUE -> {
                    tag('s');
                    text(value.getStringValue());
                }
                case INT_VALUE -> {
                    tag('i');
                    number(value.getIntValue());
                }
                case DOUBLE_VALUE -> {
                    tag('d');
                    number(Double.doubleToLongBits(value.getDoubleValue()));
                }
                case BOOL_VALUE -> tag(value.getBoolValue() ? 'T' : 'F');
                default -> {
                    tag('p');
                    bytes(value.toByteArray());
                }
            }
        }

        private void tag(char tag) {
            ensure(1);
            buffer[size++] = (byte) tag;
        }

        private void number(long value) {
            ensure(Long.BYTES);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[size++] = (byte) (value >>> shift);
            }
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
