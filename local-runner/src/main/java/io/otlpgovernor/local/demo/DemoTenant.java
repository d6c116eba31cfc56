package io.otlpgovernor.local.demo;

import java.util.List;

/**
 * A demo tenant: its id (a rule file in {@code governance-rules/rules/tenants/}), the demo API key whose hash is in
 * {@code ingest-bridge/config/demo-keys.yaml}, how its services send, and what they do.
 */
record DemoTenant(String id, String apiKey, Transport transport, Scenario scenario) {

    /** The demo tenants: an online shop, a health-care provider and a payment processor. */
    static List<DemoTenant> all() {
        return List.of(
                new DemoTenant("acme", "acme-demo-key-0001", Transport.GRPC, new ShopScenario()),
                new DemoTenant("globex", "globex-demo-key-0001", Transport.HTTP, new ClinicScenario()),
                new DemoTenant("paynow", "paynow-demo-key-0001", Transport.GRPC, new PaymentsScenario()));
    }

    /** The demo tenants' ids. */
    static List<String> ids() {
        return all().stream().map(DemoTenant::id).toList();
    }
}
