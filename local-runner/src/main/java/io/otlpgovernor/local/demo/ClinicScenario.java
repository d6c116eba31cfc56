package io.otlpgovernor.local.demo;

import java.util.List;
import java.util.Random;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.otlpgovernor.local.demo.FakeData.pick;

/**
 * globex, a health-care provider (hipaa, under legal hold): patients read their records, book appointments and verify
 * their identity. Medical record numbers, social security numbers, e-mail addresses, phone numbers and IP addresses
 * reach attributes and log bodies; an electronic health record backend that sometimes times out adds slow errors.
 */
final class ClinicScenario implements Scenario {

    static final String PORTAL = "patient-portal";
    static final String APPOINTMENTS = "appointments";
    static final String RECORDS = "ehr-records";
    static final String NOTIFICATIONS = "notifications";

    @Override
    public List<String> services() {
        return List.of(PORTAL, APPOINTMENTS, RECORDS, NOTIFICATIONS);
    }

    @Override
    public Call request(Random random) {
        int kind = random.nextInt(100);
        if (kind < 45) {
            return readRecord(random);
        }
        return kind < 80 ? bookAppointment(random) : verifyIdentity(random);
    }

    private static Call readRecord(Random random) {
        String mrn = pick(FakeData.MEDICAL_RECORD_NUMBERS, random);
        Call fetch = Call.server(
                        RECORDS, "FetchRecord", 20 + random.nextInt(60), Attributes.of(stringKey("ehr.record"), mrn))
                .logging(LogLine.info("record " + mrn + " opened by clinician"));
        if (random.nextInt(100) < 4) {
            fetch = fetch.slowedBy(1_500)
                    .failing("EHR backend timeout")
                    .logging(LogLine.of(Severity.ERROR, "EHR backend timed out reading " + mrn, Attributes.empty()));
        }
        Call root = Call.server(
                        PORTAL,
                        "GET /patients/{id}/records",
                        10 + random.nextInt(20),
                        Attributes.builder()
                                .put("http.route", "/patients/{id}/records")
                                .put("client.address", pick(FakeData.IPS, random))
                                .build())
                .calling(fetch);
        return fetch.error() == null ? root : root.failing("records unavailable");
    }

    private static Call bookAppointment(Random random) {
        String email = pick(FakeData.EMAILS, random);
        String department = pick(List.of("cardiology", "dermatology", "general-practice"), random);
        Call notify = Call.server(
                        NOTIFICATIONS,
                        "SendConfirmation",
                        30 + random.nextInt(40),
                        Attributes.builder()
                                .put("notification.recipient", email)
                                .put("patient.contact", pick(FakeData.PHONES, random))
                                .build())
                .logging(LogLine.info("confirmation sent to " + email));
        Call book = Call.server(
                        APPOINTMENTS,
                        "BookAppointment",
                        15 + random.nextInt(25),
                        Attributes.of(stringKey("department"), department))
                .calling(notify)
                .measuring(Measurement.counter(
                        "appointments.booked", 1, Attributes.of(stringKey("department"), department)));
        return Call.server(
                        PORTAL,
                        "POST /appointments",
                        10 + random.nextInt(15),
                        Attributes.of(stringKey("http.route"), "/appointments"))
                .calling(book);
    }

    private static Call verifyIdentity(Random random) {
        Call verify = Call.server(RECORDS, "VerifyIdentity", 25 + random.nextInt(30), Attributes.empty())
                .logging(LogLine.info("identity verified for SSN " + pick(FakeData.SSNS, random)));
        return Call.server(
                        PORTAL,
                        "POST /identity/verify",
                        8 + random.nextInt(12),
                        Attributes.builder()
                                .put("http.route", "/identity/verify")
                                .put("client.address", pick(FakeData.IPS, random))
                                .build())
                .calling(verify);
    }

    @Override
    public List<Call> background(long second, Random random) {
        return List.of();
    }
}
