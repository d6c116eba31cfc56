package io.otlpgovernor.contract.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Finds input content repeated in an error message. The project rule is that messages about bad input say what and
 * where, never quote the input: it may hold a secret. A message may still contain words that also occur in the
 * input by design — field names of the schema, the words of the message's own template — so those are allowed.
 *
 * <p>Only words (runs of letters and digits) of at least {@link #MIN_WORD} characters count: shorter ones collide
 * with ordinary words and numbers (positions, lengths) too easily to mean anything.
 */
public final class Echoes {

    public static final int MIN_WORD = 6;

    /** Every message, field (proto and JSON spelling), enum and enum value name of the three OTLP export requests. */
    public static final Set<String> OTLP_SCHEMA_WORDS = schemaWords(
            ExportTraceServiceRequest.getDescriptor(),
            ExportMetricsServiceRequest.getDescriptor(),
            ExportLogsServiceRequest.getDescriptor());

    /**
     * Words a protobuf payload check may use: the schema's, OtlpPayloads' (and WireCheck's) wording, and protobuf's
     * own parse errors, which describe the wire problem and never content.
     */
    public static final Set<String> PAYLOAD_CHECK_WORDS = schemaAnd(
            "not a valid ExportTraceServiceRequest ExportMetricsServiceRequest ExportLogsServiceRequest",
            "unknown top-level field number(s); must be bytes or empty, got",
            "While parsing a protocol message, the input ended unexpectedly in the middle of a field. This could mean "
                    + "either that the input has been truncated or that an embedded message misreported its own length.",
            "Protocol message contained an invalid tag (zero). Protocol message end-group tag did not match expected tag.",
            "CodedInputStream encountered a malformed varint. CodedInputStream encountered an embedded string or "
                    + "message which claimed to have negative size. Protocol message tag had invalid wire type.",
            "Protocol message had too many levels of nesting. May be malicious. Use setRecursionLimit() to increase "
                    + "the recursion depth limit. Protocol message had invalid UTF-8. Failed to parse the message.",
            "Protocol message was too large. May be malicious. Use CodedInputStream.setSizeLimit() to increase the size limit.");

    private Echoes() {}

    /** Words of {@code input} (read as UTF-8, bad bytes replaced) found in {@code message} and not in {@code allowed}. */
    public static List<String> in(String message, byte[] input, Set<String> allowed) {
        return in(message, new String(input, StandardCharsets.UTF_8), allowed);
    }

    /** Words of {@code input} found in {@code message} and not in {@code allowed} (compared ignoring case). */
    public static List<String> in(String message, String input, Set<String> allowed) {
        Set<String> messageWords = words(message);
        List<String> echoed = new ArrayList<>();
        for (String word : words(input)) {
            if (messageWords.contains(word) && !allowed.contains(word)) {
                echoed.add(word);
            }
        }
        return echoed;
    }

    /** Lower-cased words of at least {@link #MIN_WORD} characters in {@code text}. */
    public static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean wordChar = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                if (i - start >= MIN_WORD) {
                    words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                }
                start = -1;
            }
        }
        return words;
    }

    /** The words of {@code texts} together with {@link #OTLP_SCHEMA_WORDS}. */
    public static Set<String> schemaAnd(String... texts) {
        Set<String> allowed = new HashSet<>(OTLP_SCHEMA_WORDS);
        for (String text : texts) {
            allowed.addAll(words(text));
        }
        return Set.copyOf(allowed);
    }

    private static Set<String> schemaWords(Descriptor... roots) {
        Set<String> names = new HashSet<>();
        Set<Descriptor> seen = new HashSet<>();
        for (Descriptor root : roots) {
            collect(root, seen, names);
        }
        Set<String> words = new HashSet<>();
        names.forEach(name -> words.addAll(words(name)));
        return Set.copyOf(words);
    }

    private static void collect(Descriptor type, Set<Descriptor> seen, Set<String> names) {
        if (!seen.add(type)) {
            return;
        }
        names.add(type.getName());
        for (FieldDescriptor field : type.getFields()) {
            names.add(field.getName());
            names.add(field.getJsonName());
            if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                names.add(field.getEnumType().getName());
                field.getEnumType().getValues().stream()
                        .map(EnumValueDescriptor::getName)
                        .forEach(names::add);
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                collect(field.getMessageType(), seen, names);
            }
        }
    }
}
