package io.otlpgovernor.rules.classification.detectors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The detectors every tenant can use, by id, with the label their findings get unless a rule says otherwise:
 * {@code pii} for personal data (e-mail, phone, US SSN, IBAN, IP addresses — the GDPR treats IP addresses as personal
 * data), {@code pci} for payment card numbers, {@code secret} for credentials (JWTs, cloud access keys, bearer tokens,
 * private keys). Detectors are shared singletons; they are immutable and thread-safe.
 */
public final class BuiltInDetectors {

    public static final String PII = "pii";
    public static final String PCI = "pci";
    public static final String SECRET = "secret";

    private static final Map<String, Detector> DETECTORS = new LinkedHashMap<>();
    private static final Map<String, String> LABELS = new LinkedHashMap<>();

    static {
        register(new EmailDetector(), PII);
        register(new PhoneDetector(), PII);
        register(new UsSsnDetector(), PII);
        register(new IbanDetector(), PII);
        register(new PaymentCardDetector(), PCI);
        register(new Ipv4Detector(), PII);
        register(new Ipv6Detector(), PII);
        register(new JwtDetector(), SECRET);
        register(new CloudAccessKeyDetector(), SECRET);
        register(new BearerTokenDetector(), SECRET);
        register(new PrivateKeyDetector(), SECRET);
    }

    private static final Set<String> IDS = Collections.unmodifiableSet(DETECTORS.keySet());
    private static final List<Detector> ALL = List.copyOf(DETECTORS.values());

    private BuiltInDetectors() {}

    private static void register(Detector detector, String label) {
        DETECTORS.put(detector.id(), detector);
        LABELS.put(detector.id(), label);
    }

    /** The detector with this id. */
    public static Detector byId(String id) {
        Detector detector = id == null ? null : DETECTORS.get(id);
        if (detector == null) {
            throw unknown(id);
        }
        return detector;
    }

    /** The ids of all built-in detectors, in a stable order. */
    public static Set<String> ids() {
        return IDS;
    }

    /** All built-in detectors, in the order of {@link #ids()}. */
    public static List<Detector> all() {
        return ALL;
    }

    /** The label findings of this detector get by default: {@code pii}, {@code pci} or {@code secret}. */
    public static String defaultLabel(String id) {
        String label = id == null ? null : LABELS.get(id);
        if (label == null) {
            throw unknown(id);
        }
        return label;
    }

    private static IllegalArgumentException unknown(String id) {
        return new IllegalArgumentException(
                "unknown detector '" + id + "'; known detectors: " + String.join(", ", IDS));
    }
}
