package io.otlpgovernor.bridge.ops;

import java.nio.charset.StandardCharsets;

import io.otlpgovernor.bridge.export.ExportResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BridgeMetricsTest {

    @Test
    void givesTheFirstHundredTenantsALabelAndCountsTheRestAsOther() {
        BridgeMetrics metrics = new BridgeMetrics();

        for (int i = 0; i < BridgeMetrics.MAX_TENANT_LABELS + 5; i++) {
            metrics.answered("grpc", "spans", "tenant-" + i, ExportResult.Accepted.all(1), 10, System.nanoTime());
        }
        String scraped = new String(metrics.scrape(), StandardCharsets.UTF_8);

        assertThat(scraped)
                .contains("otlp_bridge_items_total{signal=\"spans\",tenant=\"tenant-99\"} 1.0")
                .doesNotContain("tenant=\"tenant-100\"")
                .contains("otlp_bridge_items_total{signal=\"spans\",tenant=\"_other\"} 5.0");
    }
}
