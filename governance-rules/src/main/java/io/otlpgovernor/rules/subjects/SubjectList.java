package io.otlpgovernor.rules.subjects;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;

import io.otlpgovernor.rules.classification.detectors.Detector;
import io.otlpgovernor.rules.classification.detectors.TextProfile;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;
import io.otlpgovernor.rules.protection.Stretch;

/**
 * One tenant's suppressed subjects, ready to look for in text: finds, in a value, every stretch that is a
 * suppressed subject's identifier — raw (what a detector finds, or for user ids a whole value or word, hashed under
 * the tenant's key and compared with the entries' pseudonyms) or already a pseudonym ({@code hmac:<key>:<digest>}
 * under any key the entries were made with).
 *
 * <p>Values found clean are remembered (up to {@value #CLEAN_CACHE} of them), so the repeated values of telemetry —
 * routes, methods, service names — are hashed once. Not thread-safe: one per task.
 */
public final class SubjectList {

    /** No subject suppressed: finds nothing, at no cost. */
    public static final SubjectList NONE = new SubjectList(List.of(), null);

    static final int CLEAN_CACHE = 20_000;
    /**
     * Only values up to this length are remembered as clean: short values (ids, names, addresses) repeat; long ones
     * (log bodies, payloads) rarely do, and 20,000 of them could hold gigabytes.
     */
    static final int CLEAN_CACHE_MAX_CHARS = 256;

    /** A stretch {@code [start, end)} of a value that identifies {@code entry}'s subject. */
    public record Hit(int start, int end, SubjectEntry entry) implements Stretch {}

    private final Map<String, SubjectEntry> byPseudonym = new HashMap<>();
    private final Map<String, Mac> rawKeys = new LinkedHashMap<>();
    private final Map<String, Detector> detectors = new LinkedHashMap<>();
    private final List<SubjectEntry> entries;
    private boolean userIds;
    private final Set<String> clean = new HashSet<>();

    /**
     * @param entries the tenant's entries
     * @param keyring the tenant's keys in this job: raw values are hashed under the current key, or for an entry
     *                made before it, under the newest key of the entry that the keyring still has
     */
    public SubjectList(Collection<SubjectEntry> entries, HmacKeyring keyring) {
        this.entries = List.copyOf(entries);
        for (SubjectEntry entry : entries) {
            entry.pseudonyms().values().forEach(forms -> forms.forEach(p -> byPseudonym.put(p, entry)));
            SubjectIdentifiers.detector(entry.kind())
                    .ifPresentOrElse(d -> detectors.put(d.id(), d), () -> userIds = true);
            rawKey(entry, keyring)
                    .ifPresent(keyId -> rawKeys.computeIfAbsent(
                            keyId, k -> Pseudonyms.mac(keyring.keys().get(k))));
        }
    }

    /** The entries this list finds. */
    public List<SubjectEntry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * The entries that can only be found already hashed: none of their keys is in the keyring any more (the keys
     * were retired since the request), so a raw identifier cannot be compared with them.
     */
    public List<SubjectEntry> hashedOnly(HmacKeyring keyring) {
        return entries.stream().filter(e -> rawKey(e, keyring).isEmpty()).toList();
    }

    /** Every stretch of {@code text} that identifies a suppressed subject, in order, not overlapping. */
    public List<Hit> find(String text) {
        if (entries.isEmpty() || text.isEmpty() || clean.contains(text)) {
            return List.of();
        }
        List<Hit> hits = new ArrayList<>(0);
        // One pass over the characters tells most detectors (and the pseudonym search) they cannot match.
        long profile = TextProfile.of(text);
        if (TextProfile.colons(profile) >= 2) {
            findPseudonyms(text, hits);
        }
        for (Detector detector : detectors.values()) {
            for (Detector.Match match : detector.find(text, profile)) {
                String found = text.substring(match.start(), match.end());
                lookUpRaw(SubjectIdentifiers.normalise(detector.id(), found), match.start(), match.end(), hits);
            }
        }
        if (userIds) {
            findWords(text, hits);
        }
        if (hits.isEmpty()) {
            remember(text);
            return List.of();
        }
        return Stretch.withoutOverlaps(hits);
    }

    /** How many values are remembered as clean (for tests of the cache's bounds). */
    int cleanValues() {
        return clean.size();
    }

    private void remember(String cleanText) {
        if (cleanText.length() > CLEAN_CACHE_MAX_CHARS) {
            return;
        }
        if (clean.size() >= CLEAN_CACHE) {
            clean.clear();
        }
        clean.add(cleanText);
    }

    /** Whether {@code text} identifies a suppressed subject: the first hit, if any. */
    public Optional<Hit> first(String text) {
        List<Hit> hits = find(text);
        return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
    }

    private void findPseudonyms(String text, List<Hit> hits) {
        for (int at = text.indexOf(Pseudonyms.PREFIX); at >= 0; at = text.indexOf(Pseudonyms.PREFIX, at + 1)) {
            int keyEnd = text.indexOf(':', at + Pseudonyms.PREFIX.length());
            if (keyEnd < 0) {
                return;
            }
            int end = keyEnd + 1 + Pseudonyms.DIGEST_CHARS;
            if (end > text.length()) {
                continue;
            }
            SubjectEntry entry = byPseudonym.get(text.substring(at, end));
            if (entry != null) {
                hits.add(new Hit(at, end, entry));
            }
        }
    }

    /** The whole text, and when it has several words, each word. */
    private void findWords(String text, List<Hit> hits) {
        lookUpRaw(text, 0, text.length(), hits);
        int start = -1;
        boolean several = false;
        for (int i = 0; i <= text.length(); i++) {
            boolean ends = i == text.length()
                    || Character.isWhitespace(text.charAt(i))
                    || SubjectIdentifiers.isSeparator(text.charAt(i));
            if (ends) {
                if (start >= 0 && (several || i < text.length())) {
                    lookUpRaw(text.substring(start, i), start, i, hits);
                }
                if (i < text.length()) {
                    several = true;
                }
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
    }

    private void lookUpRaw(String normal, int start, int end, List<Hit> hits) {
        for (Map.Entry<String, Mac> key : rawKeys.entrySet()) {
            SubjectEntry entry = byPseudonym.get(Pseudonyms.of(key.getValue(), key.getKey(), normal));
            if (entry != null) {
                hits.add(new Hit(start, end, entry));
                return;
            }
        }
    }

    /** The key to hash raw values under for {@code entry}: the current key, else the newest key both share. */
    static Optional<String> rawKey(SubjectEntry entry, HmacKeyring keyring) {
        if (keyring == null) {
            return Optional.empty();
        }
        if (entry.pseudonyms().containsKey(keyring.currentKeyId())) {
            return Optional.of(keyring.currentKeyId());
        }
        return entry.pseudonyms().keySet().stream()
                .filter(keyring.keys()::containsKey)
                .reduce((first, second) -> second);
    }
}
