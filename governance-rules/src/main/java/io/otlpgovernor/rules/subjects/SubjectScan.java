package io.otlpgovernor.rules.subjects;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.trace.v1.Span;
import io.otlpgovernor.contract.otlp.tree.AttributeSite;
import io.otlpgovernor.contract.otlp.tree.OtlpTree;
import io.otlpgovernor.contract.otlp.tree.TreePosition;
import io.otlpgovernor.contract.otlp.tree.TreeVisitor;
import io.otlpgovernor.rules.protection.Pseudonyms;

/**
 * Looks for a subject in governed data, for an access report: the forms it is held in — {@value #RAW} for the
 * identifier itself, {@code hmac:<key id>} for its pseudonym under that key — anywhere suppression looks (every
 * attribute but exemplars', span names, log bodies). Changes nothing.
 */
public final class SubjectScan {

    public static final String RAW = "raw";

    private SubjectScan() {}

    public static Set<String> spans(SubjectList subjects, ExportTraceServiceRequest request) {
        Scan<Span> scan = new Scan<>(subjects) {
            @Override
            public Span item(Span span, TreePosition at) {
                text(span.getName());
                return span;
            }
        };
        OtlpTree.walk(request, scan);
        return scan.forms;
    }

    public static Set<String> logs(SubjectList subjects, ExportLogsServiceRequest request) {
        Scan<LogRecord> scan = new Scan<>(subjects) {
            @Override
            public LogRecord item(LogRecord record, TreePosition at) {
                value(record.getBody());
                return record;
            }
        };
        OtlpTree.walk(request, scan);
        return scan.forms;
    }

    public static Set<String> metrics(SubjectList subjects, ExportMetricsServiceRequest request) {
        Scan<Message> scan = new Scan<>(subjects);
        OtlpTree.walk(request, scan);
        return scan.forms;
    }

    private static class Scan<I> implements TreeVisitor<I> {
        private final SubjectList subjects;
        final Set<String> forms = new TreeSet<>();

        Scan(SubjectList subjects) {
            this.subjects = subjects;
        }

        @Override
        public boolean visits(AttributeSite site) {
            return site != AttributeSite.EXEMPLAR;
        }

        @Override
        public List<KeyValue> attributes(AttributeSite site, List<KeyValue> attributes, TreePosition at) {
            attributes.forEach(attribute -> value(attribute.getValue()));
            return attributes;
        }

        void value(AnyValue value) {
            switch (value.getValueCase()) {
                case STRING_VALUE -> text(value.getStringValue());
                case ARRAY_VALUE -> value.getArrayValue().getValuesList().forEach(this::value);
                case KVLIST_VALUE -> value.getKvlistValue().getValuesList().forEach(kv -> value(kv.getValue()));
                default -> {}
            }
        }

        void text(String text) {
            for (SubjectList.Hit hit : subjects.find(text)) {
                forms.add(form(text.substring(hit.start(), hit.end())));
            }
        }
    }

    /**
     * The forms of the subject in a record that is not OTLP (a dead letter kept with its original bytes), read as
     * UTF-8 text: whatever the client sent can hold the identifier anywhere.
     */
    public static Set<String> bytes(SubjectList subjects, byte[] payload) {
        Scan<Object> scan = new Scan<>(subjects);
        scan.text(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        return scan.forms;
    }

    /** {@code hmac:<key id>} for a pseudonym, {@value #RAW} for anything else. */
    static String form(String found) {
        if (found.startsWith(Pseudonyms.PREFIX)
                && found.length() > Pseudonyms.PREFIX.length() + Pseudonyms.DIGEST_CHARS) {
            return found.substring(0, found.length() - Pseudonyms.DIGEST_CHARS - 1);
        }
        return RAW;
    }
}
