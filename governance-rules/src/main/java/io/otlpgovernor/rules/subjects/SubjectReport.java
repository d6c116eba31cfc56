package io.otlpgovernor.rules.subjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A subject access report: which topics, partitions, offset and time ranges hold records with the subject, in which
 * forms (raw, or a pseudonym under which key), and when each topic's retention removes them. Counts, places and
 * key ids only — never the identifier or a pseudonym.
 */
public final class SubjectReport {

    /**
     * One record that holds the subject, as a scan found it.
     *
     * @param forms the forms it holds the subject in, space-separated (a plain string, so every serializer keeps it)
     */
    public record Holding(String topic, int partition, long offset, long timestampMillis, String forms) {

        public Holding(String topic, int partition, long offset, long timestampMillis, Collection<String> forms) {
            this(topic, partition, offset, timestampMillis, String.join(" ", forms));
        }

        public List<String> formList() {
            return forms.isEmpty() ? List.of() : List.of(forms.split(" "));
        }
    }

    /** A topic's retention: {@code retention.ms} (-1: kept forever) and {@code segment.ms}. */
    public record Retention(long retentionMillis, long segmentMillis) {}

    /** The holdings of one partition. */
    public record Place(
            String topic,
            int partition,
            long records,
            long firstOffset,
            long lastOffset,
            long firstMillis,
            long lastMillis,
            Map<String, Long> forms) {

        /** When retention removes the last of them at the earliest: the newest record's time plus retention.ms. */
        public Long removedFrom(Retention retention) {
            return retention == null || retention.retentionMillis() < 0
                    ? null
                    : lastMillis + retention.retentionMillis();
        }

        /** At the latest: Kafka deletes whole segments, so up to one segment.ms later. */
        public Long removedBy(Retention retention) {
            Long from = removedFrom(retention);
            return from == null ? null : from + Math.max(0, retention.segmentMillis());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String tenant;
    private final String kind;
    private final String entryId;
    private final Instant from;
    private final Instant to;
    private final List<String> keyIds;
    private final List<String> topics;
    private final List<Place> places;
    private final Map<String, Retention> retention;

    public SubjectReport(
            String tenant,
            String kind,
            String entryId,
            Instant from,
            Instant to,
            Collection<String> keyIds,
            Collection<String> topics,
            Collection<Holding> holdings,
            Map<String, Retention> retention) {
        this.tenant = tenant;
        this.kind = kind;
        this.entryId = entryId;
        this.from = from;
        this.to = to;
        this.keyIds = List.copyOf(keyIds);
        this.topics = topics.stream().sorted().toList();
        this.places = places(holdings);
        this.retention = Map.copyOf(retention);
    }

    public List<Place> places() {
        return places;
    }

    /** Records holding the subject, in all topics. */
    public long records() {
        return places.stream().mapToLong(Place::records).sum();
    }

    /** Records holding the subject raw — zero wherever the rules protect it. */
    public long rawRecords() {
        return places.stream()
                .mapToLong(p -> p.forms().getOrDefault(SubjectScan.RAW, 0L))
                .sum();
    }

    private static List<Place> places(Collection<Holding> holdings) {
        Map<String, List<Holding>> byPlace = new TreeMap<>();
        for (Holding holding : holdings) {
            byPlace.computeIfAbsent(
                            holding.topic() + "\u0000" + String.format("%09d", holding.partition()),
                            k -> new ArrayList<>())
                    .add(holding);
        }
        List<Place> places = new ArrayList<>();
        for (List<Holding> at : byPlace.values()) {
            Map<String, Long> forms = new TreeMap<>();
            at.forEach(h -> h.formList().forEach(f -> forms.merge(f, 1L, Long::sum)));
            places.add(new Place(
                    at.get(0).topic(),
                    at.get(0).partition(),
                    at.size(),
                    at.stream().mapToLong(Holding::offset).min().orElseThrow(),
                    at.stream().mapToLong(Holding::offset).max().orElseThrow(),
                    at.stream().mapToLong(Holding::timestampMillis).min().orElseThrow(),
                    at.stream().mapToLong(Holding::timestampMillis).max().orElseThrow(),
                    forms));
        }
        return places;
    }

    /** The report as JSON. */
    public byte[] json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("type", "subject-access-report");
        root.put("tenant", tenant);
        root.put("kind", kind);
        root.put("entry", entryId);
        root.put("from", from.toString());
        root.put("to", to.toString());
        keyIds.forEach(root.putArray("keys_searched")::add);
        topics.forEach(root.putArray("topics_scanned")::add);
        root.put("records", records());
        root.put("raw_records", rawRecords());
        ArrayNode held = root.putArray("held_in");
        for (Place place : places) {
            ObjectNode node = held.addObject();
            node.put("topic", place.topic());
            node.put("partition", place.partition());
            node.put("records", place.records());
            node.put("first_offset", place.firstOffset());
            node.put("last_offset", place.lastOffset());
            node.put("first_time", Instant.ofEpochMilli(place.firstMillis()).toString());
            node.put("last_time", Instant.ofEpochMilli(place.lastMillis()).toString());
            ObjectNode forms = node.putObject("forms");
            place.forms().forEach(forms::put);
            Retention kept = retention.get(place.topic());
            Long from = place.removedFrom(kept);
            if (from == null) {
                node.putNull("removed_by_retention_from");
            } else {
                node.put("removed_by_retention_from", Instant.ofEpochMilli(from).toString());
                node.put(
                        "removed_by_retention_by",
                        Instant.ofEpochMilli(place.removedBy(kept)).toString());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a report is always serializable", e);
        }
    }

    /** The report as a terminal table. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append("subject ")
                .append(entryId)
                .append(" (")
                .append(kind)
                .append(") of tenant ")
                .append(tenant)
                .append(", ")
                .append(from)
                .append(" .. ")
                .append(to)
                .append(", keys ")
                .append(String.join(", ", keyIds))
                .append('\n');
        out.append(String.format(
                "%-32s %4s %8s %21s %-41s %-24s %s%n",
                "topic", "part", "records", "offsets", "time", "forms", "removed by retention"));
        for (Place place : places) {
            Long by = place.removedBy(retention.get(place.topic()));
            out.append(String.format(
                    "%-32s %4d %8d %21s %-41s %-24s %s%n",
                    place.topic(),
                    place.partition(),
                    place.records(),
                    place.firstOffset() + ".." + place.lastOffset(),
                    Instant.ofEpochMilli(place.firstMillis()) + ".." + Instant.ofEpochMilli(place.lastMillis()),
                    forms(place.forms()),
                    by == null
                            ? "never (no retention.ms)"
                            : Instant.ofEpochMilli(by).toString()));
        }
        out.append(records())
                .append(" records hold the subject in ")
                .append(topics.size())
                .append(" topics scanned; ")
                .append(rawRecords())
                .append(" of them raw\n");
        return out.toString();
    }

    private static String forms(Map<String, Long> forms) {
        List<String> parts = new ArrayList<>();
        forms.forEach((form, count) -> parts.add(form + "=" + count));
        return String.join(" ", parts);
    }
}
