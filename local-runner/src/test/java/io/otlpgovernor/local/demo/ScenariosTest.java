package io.otlpgovernor.local.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.opentelemetry.api.trace.SpanKind;
import io.otlpgovernor.bridge.auth.ApiKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's traffic has what the governance features and the notebooks need. */
class ScenariosTest {

    @Test
    void everyDemoTenantHasARuleFileAndADemoKey() throws Exception {
        ApiKeys keys = ApiKeys.load(Path.of("../ingest-bridge/config/demo-keys.yaml"));

        assertThat(DemoTenant.all()).allSatisfy(tenant -> {
            assertThat(Path.of("../governance-rules/rules/tenants", tenant.id() + ".yaml"))
                    .exists();
            assertThat(keys.tenantFor(tenant.apiKey())).hasValue(tenant.id());
        });
        assertThat(DemoTenant.all()).extracting(DemoTenant::transport).contains(Transport.GRPC, Transport.HTTP);
    }

    @Test
    void requestsUseOnlyTheirScenariosServicesAndFanOut() {
        for (DemoTenant tenant : DemoTenant.all()) {
            List<Call> requests = requests(tenant.scenario(), 500);

            assertThat(requests).as(tenant.id()).allSatisfy(root -> {
                assertThat(services(root)).isSubsetOf(tenant.scenario().services());
                assertThat(root.kind()).isEqualTo(SpanKind.SERVER);
            });
            assertThat(requests)
                    .as(tenant.id() + " calls across services")
                    .anyMatch(root -> services(root).size() >= 3);
        }
    }

    @Test
    void theShopHasErrorsSlowCheckoutsHealthChecksAndLateUploads() {
        ShopScenario shop = new ShopScenario();
        List<Call> requests = requests(shop, 500);
        List<Call> background = IntStream.range(0, 20)
                .boxed()
                .flatMap(s -> shop.background(s, new Random(s)).stream())
                .toList();

        assertThat(requests).anyMatch(root -> root.error() != null).anyMatch(root -> root.durationMillis() > 2_000);
        assertThat(background)
                .anyMatch(call -> call.name().equals("GET /health"))
                .anyMatch(call -> call.logs().stream().anyMatch(log -> log.age().toDays() > 7));
    }

    @Test
    void thePaymentProcessorsSettlementExceedsItsQuotaBurstAndSomeRetriesLeakATokenIntoLogs() {
        PaymentsScenario payments = new PaymentsScenario();
        List<Call> settlement = payments.background(30, new Random(1));

        assertThat(settlement)
                .singleElement()
                .satisfies(batch -> assertThat(batch.spanCount()).isGreaterThan(800));
        assertThat(payments.background(31, new Random(1))).isEmpty();
        assertThat(requests(payments, 500)).anyMatch(logContains("Bearer " + FakeData.BEARER_TOKENS.get(0)));
    }

    @Test
    void personalHealthAndPaymentDataReachAttributesAndLogBodies() {
        List<Call> all = new ArrayList<>();
        DemoTenant.all().forEach(tenant -> all.addAll(requests(tenant.scenario(), 500)));
        List<String> texts = all.stream().flatMap(ScenariosTest::texts).toList();

        for (List<String> kind : List.of(
                FakeData.EMAILS,
                FakeData.SSNS,
                FakeData.CARDS,
                FakeData.IPS,
                FakeData.MEDICAL_RECORD_NUMBERS,
                FakeData.PHONES,
                FakeData.IBANS)) {
            assertThat(texts)
                    .as("some of " + kind)
                    .anyMatch(text -> kind.stream().anyMatch(text::contains));
        }
    }

    private static List<Call> requests(Scenario scenario, int count) {
        Random random = new Random(7);
        return IntStream.range(0, count).mapToObj(i -> scenario.request(random)).toList();
    }

    private static List<String> services(Call call) {
        List<String> services = new ArrayList<>(List.of(call.service()));
        call.children()
                .forEach(child -> services(child).stream()
                        .filter(s -> !services.contains(s))
                        .forEach(services::add));
        return services;
    }

    private static Stream<String> texts(Call call) {
        Stream<String> own = Stream.concat(
                call.attributes().asMap().values().stream().map(Object::toString),
                call.logs().stream().map(LogLine::body));
        return Stream.concat(own, call.children().stream().flatMap(ScenariosTest::texts));
    }

    private static Predicate<Call> logContains(String text) {
        return call -> texts(call).anyMatch(t -> t.contains(text));
    }
}
