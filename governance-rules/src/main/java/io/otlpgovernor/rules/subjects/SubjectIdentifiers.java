package io.otlpgovernor.rules.subjects;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.otlpgovernor.rules.classification.detectors.BuiltInDetectors;
import io.otlpgovernor.rules.classification.detectors.Detector;
import io.otlpgovernor.rules.classification.detectors.EmailDetector;
import io.otlpgovernor.rules.protection.HmacKeyring;
import io.otlpgovernor.rules.protection.Pseudonyms;

/**
 * The identifiers a data-subject request can name, how each is recognised in telemetry, and its normal form — the
 * one the job hashes when it finds a candidate raw, so that {@code Alice@Example.com} in a span and
 * {@code alice@example.com} in the request are the same subject, as are {@code 4111 1111 1111 1111} and
 * {@code 4111111111111111}.
 *
 * <p>{@code user-id} has no detector: the job compares whole attribute values and the words of span names and log
 * bodies. Every other kind is a built-in detector's id, and the job compares what that detector finds.
 */
public final class SubjectIdentifiers {

    public static final String USER_ID = "user-id";

    /** Detectors whose findings identify a person; secrets (tokens, keys) are not subjects. */
    private static final List<String> DETECTOR_KINDS =
            List.of("email", "phone", "us-ssn", "iban", "payment-card", "ipv4", "ipv6");

    private static final int MAX_USER_ID = 256;

    private SubjectIdentifiers() {}

    /** Every kind, in a stable order. */
    public static Set<String> kinds() {
        Set<String> kinds = new LinkedHashSet<>();
        kinds.add(USER_ID);
        kinds.addAll(DETECTOR_KINDS);
        return kinds;
    }

    /** The detector that finds identifiers of {@code kind} in text; empty for {@code user-id}. */
    public static Optional<Detector> detector(String kind) {
        return USER_ID.equals(kind) ? Optional.empty() : Optional.of(BuiltInDetectors.byId(kind));
    }

    /** An identifier the request named, recognised: its kind and its normal form. */
    public record Recognised(String kind, String normal, String given) {}

    /** An e-mail address, whole: anything else is an {@link IllegalArgumentException} that does not quote it. */
    public static Recognised email(String given) {
        String text = given.strip();
        if (!whole(BuiltInDetectors.byId(EmailDetector.ID), text)) {
            throw new IllegalArgumentException("--email: not an e-mail address the classifier recognises");
        }
        return new Recognised(EmailDetector.ID, normalise(EmailDetector.ID, text), text);
    }

    /** A user id: one word of printable characters. */
    public static Recognised userId(String given) {
        String text = given.strip();
        if (text.isEmpty() || text.length() > MAX_USER_ID) {
            throw new IllegalArgumentException("--user-id: 1 to " + MAX_USER_ID + " characters expected");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || isSeparator(c)) {
                throw new IllegalArgumentException(
                        "--user-id: one word expected (no spaces, quotes, brackets, ',', ';' or '=') at character "
                                + (i + 1));
            }
        }
        return new Recognised(USER_ID, text, text);
    }

    /** Any identifier one of the personal-data detectors recognises whole (a phone number, a card number …). */
    public static Recognised value(String given) {
        String text = given.strip();
        for (String kind : DETECTOR_KINDS) {
            if (whole(BuiltInDetectors.byId(kind), text)) {
                return new Recognised(kind, normalise(kind, text), text);
            }
        }
        throw new IllegalArgumentException("--value: the classifier recognises no identifier in it (it knows "
                + String.join(", ", DETECTOR_KINDS) + "; use --user-id for other ids)");
    }

    /** The normal form of a candidate of {@code kind} found in telemetry. */
    public static String normalise(String kind, String found) {
        return switch (kind) {
            case "email", "ipv6" -> found.toLowerCase(Locale.ROOT);
            case "phone", "us-ssn", "payment-card", "iban" -> digitsAndLetters(found);
            default -> found;
        };
    }

    /** Whether {@code c} ends a word of free text, for user ids in span names and log bodies. */
    static boolean isSeparator(char c) {
        return switch (c) {
            case '"', '\'', '`', ',', ';', '(', ')', '[', ']', '{', '}', '<', '>', '=' -> true;
            default -> false;
        };
    }

    /**
     * The entry for a recognised identifier: its pseudonyms under every key of {@code keyring}, and an id derived
     * from it under the current key (so the same request twice is the same entry).
     */
    public static SubjectEntry entry(
            String tenant, Recognised identifier, HmacKeyring keyring, String action, String requested) {
        Map<String, List<String>> pseudonyms = new java.util.TreeMap<>();
        keyring.keys().forEach((keyId, secret) -> {
            javax.crypto.Mac mac = Pseudonyms.mac(secret);
            List<String> forms = new ArrayList<>(2);
            forms.add(Pseudonyms.of(mac, keyId, identifier.normal()));
            if (!identifier.given().equals(identifier.normal())) {
                forms.add(Pseudonyms.of(mac, keyId, identifier.given()));
            }
            pseudonyms.put(keyId, forms);
        });
        javax.crypto.Mac current =
                Pseudonyms.mac(keyring.secret(Optional.empty()).orElseThrow());
        String digest =
                Pseudonyms.of(current, "", "subject-entry\u0000" + identifier.kind() + "\u0000" + identifier.normal());
        String id = "s-" + digest.substring(digest.length() - 12);
        return new SubjectEntry(tenant, id, identifier.kind(), action, requested, pseudonyms);
    }

    private static boolean whole(Detector detector, String text) {
        List<Detector.Match> matches = detector.find(text);
        return matches.size() == 1
                && matches.get(0).start() == 0
                && matches.get(0).end() == text.length();
    }

    private static String digitsAndLetters(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toUpperCase(c));
            }
        }
        return out.toString();
    }
}
