package io.otlpgovernor.local.demo;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The personal, health and payment data the demo sprinkles into its telemetry: synthetic values that the built-in
 * detectors recognise. E-mail addresses are under example.org, phone numbers in the ranges reserved for fiction,
 * card numbers are the card networks' published test numbers, IP addresses come from the documentation ranges, the
 * IBANs are the standard's own examples. None of them belongs to anyone.
 */
final class FakeData {

    static final List<String> EMAILS = List.of(
            "jane.doe@example.org", "max.mustermann@example.org", "li.wei@example.org", "amara.okafor@example.org");
    static final List<String> PHONES = List.of("+1 202 555 0143", "+1 415 555 0199", "+44 20 7946 0958");
    /** Shaped like issued numbers (the detector rejects never-issued areas and groups), but fictitious. */
    static final List<String> SSNS = List.of("123-45-6789", "234-56-7801", "345 67 8012");

    static final List<String> CARDS =
            List.of("4111 1111 1111 1111", "5555 5555 5555 4444", "4012888888881881", "378282246310005");
    static final List<String> IPS = List.of("203.0.113.7", "198.51.100.23", "192.0.2.44");
    static final List<String> IBANS = List.of("DE89 3704 0044 0532 0130 00", "GB82 WEST 1234 5698 7654 32");
    static final List<String> MEDICAL_RECORD_NUMBERS = List.of("MRN-00482193", "MRN 5523019");
    static final List<String> LOYALTY_NUMBERS = List.of("ACME-20481234", "ACME-77310045");
    static final List<String> BEARER_TOKENS = List.of("tok_test_4f9a8b7c6d5e4f3a2b1c");
    static final List<String> CARD_CODES = List.of("123", "737");

    private FakeData() {}

    static String pick(List<String> values, Random random) {
        return values.get(random.nextInt(values.size()));
    }

    /** Every sensitive value the demo sends, for checks that none of them shows up where it must not. */
    static List<String> all() {
        return Stream.of(
                        EMAILS, PHONES, SSNS, CARDS, IPS, IBANS, MEDICAL_RECORD_NUMBERS, LOYALTY_NUMBERS, BEARER_TOKENS)
                .flatMap(List::stream)
                .toList();
    }
}
