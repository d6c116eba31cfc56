package io.otlpgovernor.local.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.otlpgovernor.local.demo.FakeData.pick;

/**
 * paynow, a payment processor (pci-dss and sox): card payments through fraud scoring into a ledger whose entries are
 * audit events. Card numbers and verification codes reach attributes and logs; a retry sometimes logs its bearer token
 * (paynow drops such records); once a minute a settlement batch sends far more spans at once than paynow's quota
 * allows.
 */
final class PaymentsScenario implements Scenario {

    static final String GATEWAY = "api-gateway";
    static final String PAYMENTS = "payments";
    static final String FRAUD = "fraud-check";
    static final String LEDGER = "ledger";
    /** Spans of one settlement batch: more than paynow's quota burst (800 items). */
    static final int SETTLEMENT_ENTRIES = 1_200;
    /** Marks settlement spans, which paynow's rules keep whole (a settlement is SOX evidence). */
    private static final Attributes SETTLEMENT = Attributes.of(stringKey("ledger.operation"), "settlement");

    private static final Attributes AUDIT = Attributes.of(stringKey("event.domain"), "audit");

    @Override
    public List<String> services() {
        return List.of(GATEWAY, PAYMENTS, FRAUD, LEDGER);
    }

    @Override
    public Call request(Random random) {
        return random.nextInt(100) < 80 ? authorize(random) : lookup(random);
    }

    private static Call authorize(Random random) {
        String card = pick(FakeData.CARDS, random);
        long cents = 100L + random.nextInt(50_000);
        Call authorize = Call.server(
                        PAYMENTS,
                        "AuthorizePayment",
                        20 + random.nextInt(40),
                        Attributes.builder()
                                .put("payment.card.number", card)
                                .put("payment.card.cvv", pick(FakeData.CARD_CODES, random))
                                .put("merchant.id", "m_test_" + (40 + random.nextInt(5)))
                                .put("payment.amount_cents", cents)
                                .build())
                .logging(LogLine.info("authorized card " + card + " for " + cents + " cents"))
                .calling(
                        Call.server(FRAUD, "ScoreTransaction", 10 + random.nextInt(30), Attributes.empty()),
                        Call.server(LEDGER, "RecordEntry", 5 + random.nextInt(10), Attributes.empty())
                                .logging(LogLine.of(Severity.INFO, "ledger entry posted", AUDIT)))
                .measuring(Measurement.histogram(
                        "payments.amount", cents / 100.0, Attributes.of(stringKey("currency"), "EUR")));
        int outcome = random.nextInt(100);
        if (outcome < 5) {
            authorize = authorize.logging(LogLine.of(
                    Severity.DEBUG,
                    "issuer call failed, retrying with Authorization: Bearer " + pick(FakeData.BEARER_TOKENS, random),
                    Attributes.empty()));
        } else if (outcome < 7) {
            authorize = authorize.failing("issuer unavailable");
        }
        return Call.server(
                        GATEWAY,
                        "POST /v1/payments",
                        5 + random.nextInt(10),
                        Attributes.of(stringKey("http.route"), "/v1/payments"))
                .calling(authorize);
    }

    private static Call lookup(Random random) {
        return Call.server(
                        GATEWAY,
                        "GET /v1/payments/{id}",
                        3 + random.nextInt(5),
                        Attributes.of(stringKey("http.route"), "/v1/payments/{id}"))
                .calling(Call.server(PAYMENTS, "GetPayment", 5 + random.nextInt(10), Attributes.empty()));
    }

    @Override
    public List<Call> background(long second, Random random) {
        return second % 60 == 30 ? List.of(settlement()) : List.of();
    }

    private static Call settlement() {
        List<Call> entries = new ArrayList<>();
        for (int i = 0; i < SETTLEMENT_ENTRIES; i++) {
            entries.add(Call.internal(LEDGER, "SettleEntry", 1, SETTLEMENT));
        }
        return Call.internal(LEDGER, "SettleBatch", 50, SETTLEMENT)
                .calling(entries.toArray(Call[]::new))
                .logging(LogLine.of(
                        Severity.INFO, "settlement batch of " + SETTLEMENT_ENTRIES + " entries posted", AUDIT));
    }
}
