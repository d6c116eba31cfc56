package io.otlpgovernor.local.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static io.otlpgovernor.local.demo.FakeData.pick;

/**
 * acme, an online shop (gdpr and pci-dss): browsing, checkouts with card payments, account changes. Slow 3-D Secure
 * challenges and declined cards exercise tail sampling, health checks its head-sampling rule, debug logs the short
 * tier, and debug logs a mobile app uploads days late are past that tier's retention on arrival.
 */
final class ShopScenario implements Scenario {

    static final String FRONTEND = "web-frontend";
    static final String CHECKOUT = "checkout";
    static final String INVENTORY = "inventory";
    static final String PAYMENTS = "payment-gateway";
    static final String CUSTOMERS = "customers";

    private static final Attributes DEBUG = Attributes.of(stringKey("severity"), "debug");

    @Override
    public List<String> services() {
        return List.of(FRONTEND, CHECKOUT, INVENTORY, PAYMENTS, CUSTOMERS);
    }

    @Override
    public Call request(Random random) {
        int kind = random.nextInt(100);
        if (kind < 50) {
            return browse(random);
        }
        return kind < 85 ? checkout(random) : updateAccount(random);
    }

    private static Call browse(Random random) {
        Attributes request = Attributes.builder()
                .put("http.route", "/products/{id}")
                .put("client.address", pick(FakeData.IPS, random))
                .put("enduser.id", random.nextBoolean() ? pick(FakeData.EMAILS, random) : "anonymous")
                .build();
        return Call.server(FRONTEND, "GET /products/{id}", 8 + random.nextInt(20), request)
                .calling(Call.server(
                        INVENTORY,
                        "GET /stock/{sku}",
                        3 + random.nextInt(10),
                        Attributes.of(stringKey("product.sku"), "SKU-" + (1000 + random.nextInt(50)))));
    }

    private static Call checkout(Random random) {
        String email = pick(FakeData.EMAILS, random);
        Call charge = Call.server(
                        PAYMENTS,
                        "POST /charge",
                        40 + random.nextInt(60),
                        Attributes.builder()
                                .put("payment.card.number", pick(FakeData.CARDS, random))
                                .put("payment.amount_cents", 500L + random.nextInt(20_000))
                                .build())
                .logging(LogLine.info("charging card " + pick(FakeData.CARDS, random) + " for " + email));
        int outcome = random.nextInt(100);
        if (outcome < 8) {
            charge = charge.slowedBy(2_200 + random.nextInt(1_500))
                    .logging(
                            LogLine.of(Severity.WARN, "3-D Secure challenge was slow to complete", Attributes.empty()));
        } else if (outcome < 14) {
            charge = charge.failing("card declined")
                    .logging(LogLine.of(
                            Severity.ERROR,
                            "card declined for " + email + ", call back on " + pick(FakeData.PHONES, random),
                            Attributes.empty()));
        }
        Call order = Call.server(
                        CHECKOUT,
                        "PlaceOrder",
                        15 + random.nextInt(30),
                        Attributes.builder()
                                .put("loyalty.number", pick(FakeData.LOYALTY_NUMBERS, random))
                                .put("order.items", 1L + random.nextInt(5))
                                .build())
                .calling(Call.server(INVENTORY, "ReserveStock", 5 + random.nextInt(15), Attributes.empty()), charge)
                .logging(LogLine.info("order placed for " + email))
                .measuring(Measurement.counter(
                        "orders.placed",
                        1,
                        Attributes.of(stringKey("outcome"), charge.error() == null ? "paid" : "declined")));
        Call root = Call.server(
                        FRONTEND,
                        "POST /checkout",
                        10 + random.nextInt(20),
                        Attributes.builder()
                                .put("http.route", "/checkout")
                                .put("client.address", pick(FakeData.IPS, random))
                                .put("enduser.id", email)
                                .build())
                .calling(order);
        if (charge.error() != null) {
            // An abandoned cart is counted per customer: personal data in a metric's data points.
            root = root.failing("payment failed")
                    .measuring(Measurement.counter(
                            "cart.abandoned", 1, Attributes.of(stringKey("customer.email"), email)));
        }
        return root;
    }

    private static Call updateAccount(Random random) {
        String email = pick(FakeData.EMAILS, random);
        Call update = Call.server(
                        CUSTOMERS,
                        "UpdateAddress",
                        10 + random.nextInt(20),
                        Attributes.builder()
                                .put("customer.email", email)
                                .put("customer.phone", pick(FakeData.PHONES, random))
                                .put("refund.iban", pick(FakeData.IBANS, random))
                                .build())
                .logging(LogLine.of(Severity.DEBUG, "address lookup for " + email, DEBUG));
        return Call.server(
                        FRONTEND,
                        "POST /account/address",
                        8 + random.nextInt(10),
                        Attributes.builder()
                                .put("http.route", "/account/address")
                                .put("client.address", pick(FakeData.IPS, random))
                                .build())
                .calling(update);
    }

    @Override
    public List<Call> background(long second, Random random) {
        List<Call> calls = new ArrayList<>();
        // A load balancer checks twice a second; acme's head sampling keeps 1 % of these.
        for (int i = 0; i < 2; i++) {
            calls.add(Call.server(FRONTEND, "GET /health", 1, Attributes.of(stringKey("http.route"), "/health")));
        }
        if (second % 10 == 5) {
            calls.add(lateUpload(random));
        }
        return calls;
    }

    /** The mobile app uploads debug logs it buffered offline, eight days ago: older than the short tier keeps. */
    private static Call lateUpload(Random random) {
        LogLine buffered = new LogLine(
                Severity.DEBUG,
                "offline cart sync for " + pick(FakeData.EMAILS, random),
                Attributes.builder()
                        .putAll(DEBUG)
                        .put(longKey("app.build"), 4711L)
                        .build(),
                Duration.ofDays(8));
        return Call.server(FRONTEND, "POST /client-logs", 5, Attributes.of(stringKey("http.route"), "/client-logs"))
                .logging(buffered);
    }
}
