package io.otlpgovernor.contract.otlp.json;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.otlpgovernor.contract.otlp.InvalidPayloadException;

/**
 * OTLP/JSON codec: the JSON Protobuf encoding of the OTLP specification ({@code docs/specification.md}, section
 * "JSON Protobuf Encoding" of opentelemetry-proto) for OTLP messages — export requests, export responses and any
 * other message of the {@code opentelemetry.proto} packages. All methods are static and thread-safe; the class holds
 * no mutable state besides a cache of per-message-type field tables.
 *
 * <h2>Encoding</h2>
 * OTLP/JSON is the proto3 JSON mapping with these deviations, all of which this codec implements:
 * <ul>
 *   <li><b>Trace and span ids are hex</b>, not base64: every {@code bytes} field named {@code trace_id},
 *       {@code span_id} or {@code parent_span_id} in a message of an {@code opentelemetry.proto.*} package. In the
 *       three signals (opentelemetry-proto 1.11) these are exactly {@code Span.trace_id}, {@code Span.span_id},
 *       {@code Span.parent_span_id}, {@code Span.Link.trace_id}, {@code Span.Link.span_id},
 *       {@code LogRecord.trace_id}, {@code LogRecord.span_id}, {@code Exemplar.trace_id} and
 *       {@code Exemplar.span_id} (span events carry no ids); {@code OtlpJsonTest} pins that list against the
 *       descriptors, so a new id field in a later proto version fails the build instead of going out as base64.
 *       A trace id is 32 hex characters (16 bytes), a span id 16 (8 bytes); input is case-insensitive, output is
 *       lowercase. The empty string stands for an absent id (some exporters write {@code "parentSpanId": ""} for
 *       root spans); any other length, a non-hex character, or a base64 value is rejected with the id's path.
 *       Every other {@code bytes} field (such as {@code AnyValue.bytes_value}) is standard base64 as in the proto3
 *       mapping (URL-safe base64 and missing padding are accepted on input).</li>
 *   <li><b>Enums are integers</b> on output. Input accepts integers (unknown numbers of these open proto3 enums are
 *       kept, as the binary format keeps them), and, leniently, enum value names such as {@code "SPAN_KIND_SERVER"}
 *       and integers in strings; an unknown name is an error.</li>
 *   <li><b>Keys are lowerCamelCase</b> ({@code FieldDescriptor#getJsonName()}) on output; input also accepts the
 *       original proto field names ({@code trace_id}), as the proto3 mapping does.</li>
 *   <li><b>Unknown keys are ignored</b> on input, whatever their value (the JSON must still be well-formed).</li>
 *   <li><b>64-bit integers</b> ({@code int64, uint64, fixed64, sfixed64, sint64}) are written as decimal strings,
 *       as the proto3 mapping does and the OTLP specification allows; input accepts numbers and decimal strings
 *       (also exponent forms such as {@code 1.5e3} when the value is integral). Unsigned 64-bit values up to
 *       2<sup>64</sup>−1 are supported. Doubles and floats accept numbers, numeric strings and
 *       {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (which is also how non-finite values are written).</li>
 *   <li><b>Default values are omitted</b> on output: fields without presence that hold their default, and unset
 *       fields with presence. Fields with explicit presence that are set (a oneof member, the proto3
 *       {@code optional} {@code sum}/{@code min}/{@code max} of histogram points) are written even when zero, so a
 *       round trip keeps presence.</li>
 * </ul>
 * {@code null} as a field value means "absent" (as in the proto3 mapping); {@code null} inside an array, the same
 * field given twice (also once as {@code traceId} and once as {@code trace_id}), two members of one oneof, a value
 * of the wrong JSON type or out of range are errors. Input must be a single JSON object; {@code {}} is an empty
 * message. Messages may nest at most {@value #MAX_MESSAGE_DEPTH} levels deep, the default recursion limit of
 * protobuf's binary parser, so that whatever parses here also parses again after a binary round trip.
 *
 * <h2>Why a descriptor walk and not {@code JsonFormat}</h2>
 * The codec reads and writes JSON with Jackson's streaming API and walks the protobuf descriptors itself, instead
 * of rewriting ids in a JSON tree and delegating to protobuf-java-util's {@code JsonFormat}:
 * <ul>
 *   <li>Ids are recognised by their field descriptor, never by a JSON key name at a guessed path, so each of the
 *       id fields above is handled wherever it occurs (spans, links, log records, exemplars of every metric point
 *       type) and no other field named like an id can be touched by mistake.</li>
 *   <li>Every error carries the JSON path of the offending value, e.g.
 *       {@code resourceSpans[0].scopeSpans[0].spans[2].traceId: not a hex string of 32 characters}, and no error
 *       message ever contains payload content: {@code JsonFormat}'s and Jackson's own messages quote the offending
 *       text ({@code "Not an int64 value: ..."}, {@code "Unrecognized token '...'"}), so they are never passed on.
 *       Malformed JSON is reported by line and column only.</li>
 *   <li>One pass, no intermediate tree: the HTTP endpoint parses bodies of up to tens of MiB.</li>
 * </ul>
 * Scalar parsing follows {@code JsonFormat} (which the tests use as the reference for id-free messages). Messages
 * with map fields or {@code google.protobuf} well-known types are not supported (OTLP has neither); passing one
 * throws {@link IllegalArgumentException}.
 *
 * <h2>Printing</h2>
 * {@link #print} writes compact JSON (no whitespace), {@link #printPretty} indented JSON with two spaces. Printing
 * never fails for a valid message: ids of an unexpected length (possible in binary input) are written as hex of
 * whatever length they have, which this codec's parser will then reject, as it should.
 */
public final class OtlpJson {

    /** Deepest message nesting accepted on input; protobuf's {@code CodedInputStream} default recursion limit. */
    public static final int MAX_MESSAGE_DEPTH = 100;

    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;
    /** Longest numeric string considered for a number; longer ones cannot be in range of any protobuf number type. */
    private static final int MAX_NUMERIC_STRING = 64;

    private static final BigInteger MIN_INT32 = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger MAX_INT32 = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final BigInteger MAX_UINT32 = BigInteger.valueOf(0xFFFF_FFFFL);
    private static final BigInteger MIN_INT64 = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_INT64 = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private static final JsonFactory JSON = JsonFactory.builder()
            // Bodies are size-limited by the endpoint; a single large string attribute must not fail on its own.
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            // Keys come from untrusted input: do not grow the JVM's string pool with them.
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private static final Map<Descriptor, Fields> FIELDS = new ConcurrentHashMap<>();

    private OtlpJson() {}

    // ------------------------------------------------------------------------------------------------ parsing

    /** Parses an OTLP/JSON trace export request. */
    public static ExportTraceServiceRequest parseTraces(String json) throws InvalidPayloadException {
        return parse(json, ExportTraceServiceRequest.getDefaultInstance());
    }

    /** Parses an OTLP/JSON trace export request from UTF-8 (or, detected by Jackson, UTF-16/32) bytes. */
    public static ExportTraceServiceRequest parseTraces(byte[] json) throws InvalidPayloadException {
        return parse(json, ExportTraceServiceRequest.getDefaultInstance());
    }

    /** Parses an OTLP/JSON metrics export request. */
    public static ExportMetricsServiceRequest parseMetrics(String json) throws InvalidPayloadException {
        return parse(json, ExportMetricsServiceRequest.getDefaultInstance());
    }

    /** Parses an OTLP/JSON metrics export request from bytes. */
    public static ExportMetricsServiceRequest parseMetrics(byte[] json) throws InvalidPayloadException {
        return parse(json, ExportMetricsServiceRequest.getDefaultInstance());
    }

    /** Parses an OTLP/JSON logs export request. */
    public static ExportLogsServiceRequest parseLogs(String json) throws InvalidPayloadException {
        return parse(json, ExportLogsServiceRequest.getDefaultInstance());
    }

    /** Parses an OTLP/JSON logs export request from bytes. */
    public static ExportLogsServiceRequest parseLogs(byte[] json) throws InvalidPayloadException {
        return parse(json, ExportLogsServiceRequest.getDefaultInstance());
    }

    /**
     * Parses OTLP/JSON as a message of {@code prototype}'s type, e.g. {@code ExportTraceServiceResponse
     * .getDefaultInstance()} to read an endpoint's response.
     *
     * @throws InvalidPayloadException if {@code json} is not valid JSON or not a valid OTLP/JSON encoding of the
     *         message; the message says what and where, without quoting content
     * @throws IllegalArgumentException if the message type uses map fields or well-known types
     */
    public static <M extends Message> M parse(String json, M prototype) throws InvalidPayloadException {
        try (JsonParser parser = JSON.createParser(json)) {
            return parse(parser, prototype);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does no I/O; syntax errors are handled below
        }
    }

    /** Parses OTLP/JSON bytes as a message of {@code prototype}'s type; see {@link #parse(String, Message)}. */
    public static <M extends Message> M parse(byte[] json, M prototype) throws InvalidPayloadException {
        try (JsonParser parser = JSON.createParser(json)) {
            return parse(parser, prototype);
        } catch (CharConversionException e) {
            // Bytes Jackson takes for UTF-16/32 (from their zero bytes) that are no valid text in it — seen when the
            // encoding is detected or when a character is decoded: bad input, not an I/O failure.
            throw new InvalidPayloadException("malformed JSON: not valid text in UTF-8, UTF-16 or UTF-32");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <M extends Message> M parse(JsonParser parser, M prototype)
            throws IOException, InvalidPayloadException {
        Message.Builder builder = prototype.newBuilderForType();
        try {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidPayloadException("empty input: expected a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidPayloadException("expected a JSON object at the top level, got " + describe(first));
            }
            mergeObject(parser, builder, Path.ROOT, 1);
            if (parser.nextToken() != null) {
                throw new InvalidPayloadException(
                        "unexpected content after the JSON object at " + where(parser.currentTokenLocation()));
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
        @SuppressWarnings("unchecked")
        M message = (M) builder.build();
        return message;
    }

    /** Reads the fields of the object whose START_OBJECT is the current token, up to its END_OBJECT. */
    private static void mergeObject(JsonParser parser, Message.Builder builder, Path path, int depth)
            throws IOException, InvalidPayloadException {
        if (depth > MAX_MESSAGE_DEPTH) {
            throw path.error("messages nested more than " + MAX_MESSAGE_DEPTH + " levels deep");
        }
        Fields fields = fields(builder.getDescriptorForType());
        boolean[] seen = null;
        boolean[] oneofSeen = null;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            FieldDescriptor field = fields.byName.get(key);
            if (field == null) {
                parser.skipChildren(); // unknown field: ignored, as OTLP/JSON requires
                continue;
            }
            Path fieldPath = path.key(key);
            if (seen == null) {
                seen = new boolean[fields.count];
            }
            if (seen[field.getIndex()]) {
                throw fieldPath.error("field given more than once");
            }
            seen[field.getIndex()] = true;
            if (value == JsonToken.VALUE_NULL) {
                continue; // null means absent
            }
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null) {
                if (oneofSeen == null) {
                    oneofSeen = new boolean[fields.oneofCount];
                }
                if (oneofSeen[oneof.getIndex()]) {
                    throw fieldPath.error("more than one member of oneof '" + oneof.getName() + "' is set");
                }
                oneofSeen[oneof.getIndex()] = true;
            }
            if (field.isRepeated()) {
                if (value != JsonToken.START_ARRAY) {
                    throw fieldPath.error("expected a JSON array, got " + describe(value));
                }
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    Path elementPath = fieldPath.index(index++);
                    if (parser.currentToken() == JsonToken.VALUE_NULL) {
                        throw elementPath.error("null is not allowed in an array");
                    }
                    builder.addRepeatedField(field, readValue(parser, builder, field, fields, elementPath, depth));
                }
            } else {
                builder.setField(field, readValue(parser, builder, field, fields, fieldPath, depth));
            }
        }
        if (token != JsonToken.END_OBJECT) {
            // Cannot happen with a well-formed token stream; Jackson reports syntax errors itself.
            throw path.error("malformed object");
        }
    }

    private static Object readValue(
            JsonParser parser, Message.Builder builder, FieldDescriptor field, Fields fields, Path path, int depth)
            throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        switch (field.getJavaType()) {
            case MESSAGE -> {
                if (token != JsonToken.START_OBJECT) {
                    throw path.error("expected a JSON object, got " + describe(token));
                }
                Message.Builder child = builder.newBuilderForField(field);
                mergeObject(parser, child, path, depth + 1);
                return child.build();
            }
            case INT -> {
                return switch (field.getType()) {
                    case UINT32, FIXED32 ->
                        (int) integral(parser, path, BigInteger.ZERO, MAX_UINT32, "uint32")
                                .longValue();
                    default ->
                        integral(parser, path, MIN_INT32, MAX_INT32, "int32").intValue();
                };
            }
            case LONG -> {
                return switch (field.getType()) {
                    case UINT64, FIXED64 ->
                        integral(parser, path, BigInteger.ZERO, MAX_UINT64, "uint64")
                                .longValue();
                    default ->
                        integral(parser, path, MIN_INT64, MAX_INT64, "int64").longValue();
                };
            }
            case DOUBLE -> {
                return floatingPoint(parser, path, false);
            }
            case FLOAT -> {
                return (float) floatingPoint(parser, path, true);
            }
            case BOOLEAN -> {
                return bool(parser, path);
            }
            case STRING -> {
                if (token != JsonToken.VALUE_STRING) {
                    throw path.error("expected a string, got " + describe(token));
                }
                return parser.getText();
            }
            case BYTE_STRING -> {
                int idBytes = fields.idBytes[field.getIndex()];
                return idBytes > 0 ? hexId(parser, path, idBytes) : base64(parser, path);
            }
            case ENUM -> {
                return enumValue(parser, path, field.getEnumType());
            }
            default -> throw new IllegalStateException("unhandled field type " + field.getType());
        }
    }

    /** An integral value in [min, max], given as a JSON number or a decimal string. */
    private static BigInteger integral(JsonParser parser, Path path, BigInteger min, BigInteger max, String type)
            throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        BigInteger value;
        if (token == JsonToken.VALUE_NUMBER_INT) {
            value = switch (parser.getNumberType()) {
                case INT, LONG -> BigInteger.valueOf(parser.getLongValue());
                default -> parser.getBigIntegerValue();
            };
        } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = exactInteger(parser.getDecimalValue(), path, type);
        } else if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            value = exactInteger(decimal(text, path, "not a decimal " + type), path, type);
        } else {
            throw path.error("expected " + type + " as a number or a decimal string, got " + describe(token));
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw path.error("out of range for " + type);
        }
        return value;
    }

    private static BigDecimal decimal(String text, Path path, String problem) throws InvalidPayloadException {
        if (text.isEmpty() || text.length() > MAX_NUMERIC_STRING) {
            throw path.error(problem);
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw path.error(problem);
        }
    }

    private static BigInteger exactInteger(BigDecimal value, Path path, String type) throws InvalidPayloadException {
        // Guard before toBigIntegerExact(): "1e999999999" would otherwise expand to a billion digits.
        if (value.signum() != 0 && value.precision() - value.scale() > 40) {
            throw path.error("out of range for " + type);
        }
        try {
            return value.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw path.error("not an integer, as " + type + " requires");
        }
    }

    private static double floatingPoint(JsonParser parser, Path path, boolean isFloat)
            throws IOException, InvalidPayloadException {
        String type = isFloat ? "float" : "double";
        JsonToken token = parser.currentToken();
        double value;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            value = parser.getDoubleValue();
        } else if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            switch (text) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    decimal(text, path, "not a decimal " + type); // strict syntax check; parseDouble is lenient
                    value = Double.parseDouble(text);
                }
            }
        } else {
            throw path.error("expected " + type + " as a number or a string, got " + describe(token));
        }
        if (Double.isInfinite(value) || (isFloat && Float.isInfinite((float) value))) {
            throw path.error("out of range for " + type);
        }
        return value;
    }

    private static boolean bool(JsonParser parser, Path path) throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (token == JsonToken.VALUE_FALSE) {
            return false;
        }
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            if (text.equals("true")) {
                return true;
            }
            if (text.equals("false")) {
                return false;
            }
            throw path.error("expected true or false");
        }
        throw path.error("expected true or false, got " + describe(token));
    }

    private static EnumValueDescriptor enumValue(JsonParser parser, Path path, EnumDescriptor type)
            throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        int number;
        if (token == JsonToken.VALUE_STRING) {
            String text = parser.getText();
            EnumValueDescriptor byName = type.findValueByName(text);
            if (byName != null) {
                return byName;
            }
            BigDecimal numeric;
            try {
                numeric = text.length() <= MAX_NUMERIC_STRING ? new BigDecimal(text) : null;
            } catch (NumberFormatException e) {
                numeric = null;
            }
            if (numeric == null) {
                throw path.error("not a value of enum " + type.getName() + " (OTLP/JSON enums are integers)");
            }
            number = checkedEnumNumber(exactInteger(numeric, path, "an enum"), path);
        } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            number = checkedEnumNumber(integral(parser, path, MIN_INT32, MAX_INT32, "int32"), path);
        } else {
            throw path.error("expected an integer for enum " + type.getName() + ", got " + describe(token));
        }
        EnumValueDescriptor known = type.findValueByNumber(number);
        if (known != null) {
            return known;
        }
        if (type.isClosed()) {
            throw path.error("not a value of enum " + type.getName());
        }
        return type.findValueByNumberCreatingIfUnknown(number); // open enum: keep the number, as binary does
    }

    private static int checkedEnumNumber(BigInteger value, Path path) throws InvalidPayloadException {
        if (value.compareTo(MIN_INT32) < 0 || value.compareTo(MAX_INT32) > 0) {
            throw path.error("out of range for an enum");
        }
        return value.intValue();
    }

    private static ByteString hexId(JsonParser parser, Path path, int bytes)
            throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        String expected = "a hex string of " + (2 * bytes) + " characters";
        if (token != JsonToken.VALUE_STRING) {
            throw path.error("expected " + expected + ", got " + describe(token));
        }
        String text = parser.getText();
        if (text.isEmpty()) {
            return ByteString.EMPTY; // the JSON form of an absent id
        }
        byte[] out = new byte[bytes];
        boolean valid = text.length() == 2 * bytes;
        for (int i = 0; valid && i < bytes; i++) {
            int high = hexValue(text.charAt(2 * i));
            int low = hexValue(text.charAt(2 * i + 1));
            valid = high >= 0 && low >= 0;
            out[i] = (byte) ((high << 4) | low);
        }
        if (valid) {
            return ByteString.copyFrom(out);
        }
        String detail = text.length() == 2 * bytes ? "has a non-hex character" : text.length() + " characters";
        if (decodesAsBase64(text, bytes)) {
            detail += ", looks like base64: OTLP/JSON ids are hex";
        }
        throw path.error("not " + expected + " (" + detail + ")");
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean decodesAsBase64(String text, int bytes) {
        try {
            return Base64.getDecoder().decode(text).length == bytes;
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(text).length == bytes;
            } catch (IllegalArgumentException again) {
                return false;
            }
        }
    }

    private static ByteString base64(JsonParser parser, Path path) throws IOException, InvalidPayloadException {
        JsonToken token = parser.currentToken();
        if (token != JsonToken.VALUE_STRING) {
            throw path.error("expected a base64 string, got " + describe(token));
        }
        String text = parser.getText();
        try {
            return ByteString.copyFrom(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            try {
                return ByteString.copyFrom(Base64.getUrlDecoder().decode(text));
            } catch (IllegalArgumentException again) {
                throw path.error("not a base64 string");
            }
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static InvalidPayloadException malformed(JsonProcessingException e) {
        // Jackson's own message quotes the offending input ("Unrecognized token 'secret'"): never pass it on.
        String what;
        if (e instanceof JsonEOFException) {
            what = "unexpected end of input";
        } else if (e instanceof StreamConstraintsException) {
            what = "exceeds a parser limit (nesting depth, number or name length)";
        } else {
            what = "invalid syntax";
        }
        return new InvalidPayloadException("malformed JSON: " + what + " at " + where(e.getLocation()));
    }

    private static String where(JsonLocation location) {
        if (location == null) {
            return "unknown position";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // ----------------------------------------------------------------------------------------------- printing

    /** Writes {@code message} as compact OTLP/JSON (no insignificant whitespace). */
    public static String print(MessageOrBuilder message) {
        return print(message, false);
    }

    /** Writes {@code message} as OTLP/JSON indented with two spaces, one field per line. */
    public static String printPretty(MessageOrBuilder message) {
        return print(message, true);
    }

    /** Writes {@code message} as OTLP/JSON, indented if {@code pretty}. */
    public static String print(MessageOrBuilder message, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            if (pretty) {
                DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
                generator.setPrettyPrinter(new DefaultPrettyPrinter()
                        .withSeparators(Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                                .withObjectEmptySeparator("")
                                .withArrayEmptySeparator(""))
                        .withObjectIndenter(indenter)
                        .withArrayIndenter(indenter));
            }
            writeMessage(generator, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeMessage(JsonGenerator out, MessageOrBuilder message) throws IOException {
        Fields fields = fields(message.getDescriptorForType());
        out.writeStartObject();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            out.writeFieldName(field.getJsonName());
            if (field.isRepeated()) {
                out.writeStartArray();
                for (Object element : (List<?>) entry.getValue()) {
                    writeValue(out, field, fields, element);
                }
                out.writeEndArray();
            } else {
                writeValue(out, field, fields, entry.getValue());
            }
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, FieldDescriptor field, Fields fields, Object value)
            throws IOException {
        switch (field.getType()) {
            case MESSAGE, GROUP -> writeMessage(out, (MessageOrBuilder) value);
            case INT32, SINT32, SFIXED32 -> out.writeNumber((Integer) value);
            case UINT32, FIXED32 -> out.writeNumber(Integer.toUnsignedLong((Integer) value));
            case INT64, SINT64, SFIXED64 -> out.writeString(Long.toString((Long) value));
            case UINT64, FIXED64 -> out.writeString(Long.toUnsignedString((Long) value));
            case DOUBLE -> writeDouble(out, (Double) value);
            case FLOAT -> {
                float f = (Float) value;
                if (Float.isFinite(f)) {
                    out.writeNumber(f);
                } else {
                    writeDouble(out, f);
                }
            }
            case BOOL -> out.writeBoolean((Boolean) value);
            case STRING -> out.writeString((String) value);
            case BYTES -> {
                ByteString bytes = (ByteString) value;
                out.writeString(
                        fields.idBytes[field.getIndex()] > 0
                                ? hex(bytes)
                                : Base64.getEncoder().encodeToString(bytes.toByteArray()));
            }
            case ENUM -> out.writeNumber(((EnumValueDescriptor) value).getNumber());
        }
    }

    private static void writeDouble(JsonGenerator out, double d) throws IOException {
        if (Double.isNaN(d)) {
            out.writeString("NaN");
        } else if (d == Double.POSITIVE_INFINITY) {
            out.writeString("Infinity");
        } else if (d == Double.NEGATIVE_INFINITY) {
            out.writeString("-Infinity");
        } else {
            out.writeNumber(d);
        }
    }

    private static String hex(ByteString bytes) {
        char[] out = new char[bytes.size() * 2];
        for (int i = 0; i < bytes.size(); i++) {
            int b = bytes.byteAt(i) & 0xFF;
            out[2 * i] = HEX_DIGITS[b >>> 4];
            out[2 * i + 1] = HEX_DIGITS[b & 0x0F];
        }
        return new String(out);
    }

    // ------------------------------------------------------------------------------------- field tables

    /**
     * The number of bytes of the id {@code field} holds if OTLP/JSON writes it as hex (16 for a trace id, 8 for a
     * span id), 0 for every other field.
     */
    static int idBytes(FieldDescriptor field) {
        if (field.getType() != FieldDescriptor.Type.BYTES
                || field.isRepeated()
                || !field.getFile().getPackage().startsWith("opentelemetry.proto.")) {
            return 0;
        }
        return switch (field.getName()) {
            case "trace_id" -> TRACE_ID_BYTES;
            case "span_id", "parent_span_id" -> SPAN_ID_BYTES;
            default -> 0;
        };
    }

    private static Fields fields(Descriptor type) {
        Fields fields = FIELDS.get(type);
        if (fields == null) {
            fields = Fields.of(type);
            FIELDS.putIfAbsent(type, fields);
        }
        return fields;
    }

    /** Per message type: fields by JSON name and by proto name, and which fields are hex ids. */
    private static final class Fields {
        final Map<String, FieldDescriptor> byName;
        final int[] idBytes;
        final int count;
        final int oneofCount;

        private Fields(Map<String, FieldDescriptor> byName, int[] idBytes, int count, int oneofCount) {
            this.byName = byName;
            this.idBytes = idBytes;
            this.count = count;
            this.oneofCount = oneofCount;
        }

        static Fields of(Descriptor type) {
            List<FieldDescriptor> all = type.getFields();
            Map<String, FieldDescriptor> byName = new HashMap<>();
            int[] idBytes = new int[all.size()];
            for (FieldDescriptor field : all) {
                if (field.isMapField()) {
                    throw new IllegalArgumentException("OtlpJson does not support map fields: " + field.getFullName());
                }
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                        && field.getMessageType().getFile().getPackage().equals("google.protobuf")) {
                    throw new IllegalArgumentException(
                            "OtlpJson does not support well-known types: " + field.getFullName());
                }
                byName.put(field.getJsonName(), field);
                byName.putIfAbsent(field.getName(), field);
                idBytes[field.getIndex()] = idBytes(field);
            }
            return new Fields(
                    Map.copyOf(byName), idBytes, all.size(), type.getOneofs().size());
        }
    }

    // ------------------------------------------------------------------------------------------------ paths

    /** A JSON path such as {@code resourceSpans[0].scopeSpans[1].spans[2].traceId}, rendered only for errors. */
    private static final class Path {
        static final Path ROOT = new Path(null, null, -1);

        private final Path parent;
        private final String key;
        private final int index;

        private Path(Path parent, String key, int index) {
            this.parent = parent;
            this.key = key;
            this.index = index;
        }

        Path key(String name) {
            return new Path(this, name, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        InvalidPayloadException error(String problem) {
            String rendered = toString();
            return new InvalidPayloadException((rendered.isEmpty() ? "(top level)" : rendered) + ": " + problem);
        }

        @Override
        public String toString() {
            if (parent == null) {
                return "";
            }
            String prefix = parent.toString();
            if (key == null) {
                return prefix + "[" + index + "]";
            }
            return prefix.isEmpty() ? key : prefix + "." + key;
        }
    }
}
