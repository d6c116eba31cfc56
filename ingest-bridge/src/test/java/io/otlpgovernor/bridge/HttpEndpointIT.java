package io.otlpgovernor.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.otlpgovernor.bridge.auth.ApiKeys;
import io.otlpgovernor.contract.Signal;
import io.otlpgovernor.contract.otlp.json.OtlpJson;
import io.otlpgovernor.contract.testing.OtlpFixtures;
import io.otlpgovernor.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.otlpgovernor.bridge.BridgeTestSupport.ACME_KEY;
import static io.otlpgovernor.bridge.BridgeTestSupport.KEYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OTLP/HTTP against an embedded KRaft broker: protobuf and JSON, gzip, and every status case of the specification,
 * each failure with a {@code google.rpc.Status} body in the request's encoding.
 */
class HttpEndpointIT {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    @TempDir
    static Path workDir;

    private static EmbeddedKafkaBroker broker;
    private static IngestBridge bridge;
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        broker = BridgeTestSupport.startBroker(workDir.resolve("kafka"));
        bridge = IngestBridge.start(BridgeTestSupport.config(broker.bootstrapServers()), ApiKeys.of(KEYS));
    }

    @AfterAll
    static void stop() {
        bridge.close();
        broker.close();
    }

    @Test
    void acceptsProtobufAndAnswersInProtobuf() throws Exception {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("http-proto", 3);

        HttpResponse<byte[]> response =
                post(bridge, "/v1/traces", PROTOBUF, spans.toByteArray(), "Authorization", "Bearer " + ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(PROTOBUF);
        assertThat(ExportTraceServiceResponse.parseFrom(response.body()).hasPartialSuccess())
                .isFalse();
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, spans.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void acceptsJsonWithHexIdsAndWritesTheProtobufEncoding() throws Exception {
        ExportLogsServiceRequest logs = OtlpFixtures.logs("http-json", 2);

        HttpResponse<byte[]> response = post(
                bridge, "/v1/logs", JSON, OtlpJson.print(logs).getBytes(StandardCharsets.UTF_8), "x-api-key", ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(JSON);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.LOGS, logs.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void acceptsGzipBodiesOfBothEncodings() throws Exception {
        ExportMetricsServiceRequest protobuf = OtlpFixtures.gaugePoints("http.gzip.proto", 2);
        ExportMetricsServiceRequest json = OtlpFixtures.gaugePoints("http.gzip.json", 3);

        HttpResponse<byte[]> protobufAnswer = post(
                bridge,
                "/v1/metrics",
                PROTOBUF,
                gzip(protobuf.toByteArray()),
                "Authorization",
                "Bearer " + ACME_KEY,
                "Content-Encoding",
                "gzip");
        HttpResponse<byte[]> jsonAnswer = post(
                bridge,
                "/v1/metrics",
                JSON,
                gzip(OtlpJson.print(json).getBytes(StandardCharsets.UTF_8)),
                "Authorization",
                "Bearer " + ACME_KEY,
                "Content-Encoding",
                "gzip");

        assertThat(protobufAnswer.statusCode()).isEqualTo(200);
        assertThat(jsonAnswer.statusCode()).isEqualTo(200);
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.METRICS, protobuf.toByteArray()))
                .isEqualTo("acme");
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.METRICS, json.toByteArray()))
                .isEqualTo("acme");
    }

    /**
     * OTLP/JSON example requests of all three signals ({@code trace.json}, {@code metrics.json}, {@code logs.json}),
     * written for this project in the shapes of the protocol repository's examples; governance-rules' test jar
     * ships them and {@code OtlpJsonExamplesTest} pins their content.
     */
    @Test
    void acceptsTheOtlpJsonExamplePayloads() throws Exception {
        for (Signal signal : Signal.values()) {
            String file = switch (signal) {
                case SPANS -> "trace.json";
                case METRICS -> "metrics.json";
                case LOGS -> "logs.json";
            };
            byte[] example = example(file);
            Message expected = switch (signal) {
                case SPANS -> OtlpJson.parseTraces(example);
                case METRICS -> OtlpJson.parseMetrics(example);
                case LOGS -> OtlpJson.parseLogs(example);
            };

            HttpResponse<byte[]> response = post(
                    bridge,
                    io.otlpgovernor.bridge.http.OtlpHttpService.pathOf(signal),
                    JSON,
                    example,
                    "Authorization",
                    "Bearer " + ACME_KEY);

            assertThat(response.statusCode()).as(file).isEqualTo(200);
            assertThat(BridgeTestSupport.tenantOfRecord(broker, signal, expected.toByteArray()))
                    .as(file)
                    .isEqualTo("acme");
        }
    }

    @Test
    void acceptsAnEmptyRequest() throws Exception {
        HttpResponse<byte[]> protobuf =
                post(bridge, "/v1/traces", PROTOBUF, new byte[0], "Authorization", "Bearer " + ACME_KEY);
        HttpResponse<byte[]> json = post(
                bridge,
                "/v1/traces",
                JSON,
                "{}".getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Bearer " + ACME_KEY);

        assertThat(protobuf.statusCode()).isEqualTo(200);
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void answersPartialSuccessForInvalidLogRecordsAndWritesTheValidOnes() throws Exception {
        ExportLogsServiceRequest.Builder request = OtlpFixtures.logs("partial", 3).toBuilder();
        request.getResourceLogsBuilder(0)
                .getScopeLogsBuilder(0)
                .getLogRecordsBuilder(0)
                .setTraceId(ByteString.copyFrom(new byte[5]));
        ExportLogsServiceRequest.Builder valid = request.build().toBuilder();
        valid.getResourceLogsBuilder(0).getScopeLogsBuilder(0).removeLogRecords(0);

        HttpResponse<byte[]> response = post(
                bridge, "/v1/logs", PROTOBUF, request.build().toByteArray(), "Authorization", "Bearer " + ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        ExportLogsServiceResponse answer = ExportLogsServiceResponse.parseFrom(response.body());
        assertThat(answer.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
        assertThat(answer.getPartialSuccess().getErrorMessage())
                .endsWith("resource_logs[0].scope_logs[0].log_records[0].trace_id: must be 16 bytes or empty, got 5");
        assertThat(BridgeTestSupport.tenantOfRecord(
                        broker, Signal.LOGS, valid.build().toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void refusesBodiesThatAreNotOtlpWith400AndAStatusInTheRequestEncoding() throws Exception {
        HttpResponse<byte[]> junk = post(
                bridge,
                "/v1/traces",
                PROTOBUF,
                new byte[] {(byte) 0xff, 0x01, 0x02},
                "Authorization",
                "Bearer " + ACME_KEY);
        HttpResponse<byte[]> base64Ids = post(
                bridge,
                "/v1/traces",
                JSON,
                """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"s"}]}]}]}
                """.getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Bearer " + ACME_KEY);
        HttpResponse<byte[]> notGzip = post(
                bridge,
                "/v1/traces",
                PROTOBUF,
                new byte[] {1, 2, 3},
                "Authorization",
                "Bearer " + ACME_KEY,
                "Content-Encoding",
                "gzip");

        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(junk.headers().firstValue("content-type")).hasValue(PROTOBUF);
        assertThat(com.google.rpc.Status.parseFrom(junk.body()).getMessage())
                .startsWith("not a valid ExportTraceServiceRequest");
        assertThat(base64Ids.statusCode()).isEqualTo(400);
        assertThat(base64Ids.headers().firstValue("content-type")).hasValue(JSON);
        assertThat(jsonStatusMessage(base64Ids))
                .isEqualTo(
                        "resourceSpans[0].scopeSpans[0].spans[0].traceId: not a hex string of 32 characters (24 characters, looks like base64: OTLP/JSON ids are hex)");
        assertThat(notGzip.statusCode()).isEqualTo(400);
        assertThat(com.google.rpc.Status.parseFrom(notGzip.body()).getMessage())
                .isEqualTo("the body is not valid gzip");
        // Leading zero bytes make the JSON parser read UTF-32, in which FF FF FF 00 is no character (found by fuzzing).
        HttpResponse<byte[]> notText = post(
                bridge,
                "/v1/traces",
                JSON,
                new byte[] {0, 0, 0, '{', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0},
                "Authorization",
                "Bearer " + ACME_KEY);
        assertThat(notText.statusCode()).isEqualTo(400);
        assertThat(jsonStatusMessage(notText)).isEqualTo("malformed JSON: not valid text in UTF-8, UTF-16 or UTF-32");
    }

    @Test
    void refusesMissingAndUnknownKeysWith401WithoutRepeatingThemAndWritesNothing() throws Exception {
        ExportTraceServiceRequest refused = OtlpFixtures.spans("http-refused", 1);
        String wrongKey = "wrong-key-that-must-not-echo-0001";

        HttpResponse<byte[]> missing = post(bridge, "/v1/traces", PROTOBUF, refused.toByteArray());
        HttpResponse<byte[]> unknown = post(
                bridge,
                "/v1/traces",
                JSON,
                OtlpJson.print(refused).getBytes(StandardCharsets.UTF_8),
                "Authorization",
                "Bearer " + wrongKey);

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(com.google.rpc.Status.parseFrom(missing.body()).getMessage()).startsWith("missing API key");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(jsonStatusMessage(unknown)).isEqualTo("unknown API key");
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).doesNotContain(wrongKey);
        assertThat(unknown.headers().map().toString()).doesNotContain(wrongKey);
        ExportTraceServiceRequest marker = OtlpFixtures.spans("http-marker", 1);
        assertThat(post(bridge, "/v1/traces", PROTOBUF, marker.toByteArray(), "Authorization", "Bearer " + ACME_KEY)
                        .statusCode())
                .isEqualTo(200);
        assertThat(BridgeTestSupport.recordsUpTo(broker, Signal.SPANS, marker.toByteArray()))
                .noneMatch(r -> Arrays.equals(r.value(), refused.toByteArray()));
    }

    @Test
    void takesTheTenantOnlyFromTheKeyNeverFromHeadersTheClientSets() throws Exception {
        ExportTraceServiceRequest spans = OtlpFixtures.spans("http-impostor", 1);

        HttpResponse<byte[]> response = post(
                bridge,
                "/v1/traces",
                PROTOBUF,
                spans.toByteArray(),
                "Authorization",
                "Bearer " + ACME_KEY,
                "tenant",
                "globex",
                "X-Tenant",
                "globex",
                "X-Scope-OrgID",
                "globex");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BridgeTestSupport.tenantOfRecord(broker, Signal.SPANS, spans.toByteArray()))
                .isEqualTo("acme");
    }

    @Test
    void refusesOtherContentTypesAndEncodingsWith415() throws Exception {
        byte[] body = OtlpFixtures.spans("media", 1).toByteArray();

        HttpResponse<byte[]> text =
                post(bridge, "/v1/traces", "text/plain", body, "Authorization", "Bearer " + ACME_KEY);
        HttpResponse<byte[]> brotli = post(
                bridge, "/v1/traces", PROTOBUF, body, "Authorization", "Bearer " + ACME_KEY, "Content-Encoding", "br");

        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(com.google.rpc.Status.parseFrom(text.body()).getMessage())
                .contains("application/x-protobuf or application/json");
        assertThat(brotli.statusCode()).isEqualTo(415);
    }

    @Test
    void refusesOtherMethodsWith405AndUnknownPathsWith404() throws Exception {
        HttpResponse<byte[]> get = CLIENT.send(
                HttpRequest.newBuilder(uri(bridge, "/v1/traces")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> unknown =
                post(bridge, "/v1/profiles", PROTOBUF, new byte[0], "Authorization", "Bearer " + ACME_KEY);

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(com.google.rpc.Status.parseFrom(unknown.body()).getMessage()).isNotEmpty();
    }

    @Test
    void refusesABodyOverTheLimitWith413() throws Exception {
        byte[] body = new byte[20 * 1024 * 1024 + 1];

        HttpResponse<byte[]> response =
                post(bridge, "/v1/traces", PROTOBUF, body, "Authorization", "Bearer " + ACME_KEY);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("retry-after")).isEmpty();
    }

    @Test
    void refusesAGzipBombWith413() throws Exception {
        ExportTraceServiceRequest.Builder request = OtlpFixtures.spans("bomb", 1).toBuilder();
        request.getResourceSpansBuilder(0)
                .getScopeSpansBuilder(0)
                .getSpansBuilder(0)
                .setName("x".repeat(64 * 1024 * 1024));
        byte[] bomb = gzip(request.build().toByteArray());
        assertThat(bomb.length).isLessThan(1024 * 1024);

        HttpResponse<byte[]> response = post(
                bridge,
                "/v1/traces",
                PROTOBUF,
                bomb,
                "Authorization",
                "Bearer " + ACME_KEY,
                "Content-Encoding",
                "gzip");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(com.google.rpc.Status.parseFrom(response.body()).getMessage())
                .isEqualTo("the body is larger than 20971520 bytes after decompression");
    }

    @Test
    void throttlesATenantOverItsRateWith429AndRetryAfter() throws Exception {
        BridgeConfig config =
                BridgeTestSupport.config(broker.bootstrapServers()).withLimits(BridgeTestSupport.limits(256, 5, "10s"));
        try (IngestBridge limited = IngestBridge.start(config, ApiKeys.of(KEYS))) {
            byte[] burst = OtlpFixtures.spans("http-burst", 20).toByteArray();
            assertThat(post(limited, "/v1/traces", PROTOBUF, burst, "Authorization", "Bearer " + ACME_KEY)
                            .statusCode())
                    .isEqualTo(200);

            HttpResponse<byte[]> throttled = post(
                    limited,
                    "/v1/traces",
                    JSON,
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}"
                            .getBytes(StandardCharsets.UTF_8),
                    "Authorization",
                    "Bearer " + ACME_KEY);

            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("retry-after").map(Long::parseLong))
                    .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 3L));
            assertThat(jsonStatusMessage(throttled)).startsWith("rate limit of the tenant exceeded");
        }
    }

    @Test
    void answers503WithRetryAfterWhenEveryRequestSlotIsTaken() throws Exception {
        BridgeConfig config =
                BridgeTestSupport.config(broker.bootstrapServers()).withLimits(BridgeTestSupport.limits(1, 0, "10s"));
        try (IngestBridge narrow = IngestBridge.start(config, ApiKeys.of(KEYS));
                Socket slow = new Socket("localhost", narrow.httpPort())) {
            // A request whose body never ends holds the only slot.
            OutputStream out = slow.getOutputStream();
            out.write(("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-protobuf\r\n"
                            + "Authorization: Bearer " + ACME_KEY + "\r\nContent-Length: 1000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(BridgeTestSupport.TIMEOUT)
                    .until(() -> scrape(narrow).contains("otlp_bridge_in_flight_requests 1.0"));

            HttpResponse<byte[]> refused = post(
                    narrow,
                    "/v1/traces",
                    PROTOBUF,
                    OtlpFixtures.spans("crowded", 1).toByteArray(),
                    "Authorization",
                    "Bearer " + ACME_KEY);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("2");
            assertThat(com.google.rpc.Status.parseFrom(refused.body()).getMessage())
                    .isEqualTo("too many requests at once; retry later");
        }
    }

    @Test
    void answers503WithRetryAfterAtOnceWhileKafkaIsUnreachable() throws Exception {
        try (IngestBridge orphan =
                IngestBridge.start(BridgeTestSupport.config(BridgeTestSupport.deadKafka()), ApiKeys.of(KEYS))) {
            long start = System.nanoTime();
            HttpResponse<byte[]> refused = post(
                    orphan,
                    "/v1/traces",
                    PROTOBUF,
                    OtlpFixtures.spans("lost", 1).toByteArray(),
                    "Authorization",
                    "Bearer " + ACME_KEY);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("2");
            assertThat(com.google.rpc.Status.parseFrom(refused.body()).getMessage())
                    .isEqualTo("Kafka is unreachable; retry later");
            assertThat(tookMillis)
                    .as("fails fast instead of waiting for the 3 s delivery timeout")
                    .isLessThan(2000);
        }
    }

    static HttpResponse<byte[]> post(
            IngestBridge target, String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(target, path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String scrape(IngestBridge target) throws IOException, InterruptedException {
        return CLIENT.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + target.adminPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static URI uri(IngestBridge target, String path) {
        return URI.create("http://localhost:" + target.httpPort() + path);
    }

    private static String jsonStatusMessage(HttpResponse<byte[]> response) throws IOException {
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(new String(response.body(), StandardCharsets.UTF_8), status);
        return status.getMessage();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] example(String file) throws IOException {
        try (InputStream in = HttpEndpointIT.class.getResourceAsStream("/otlp-json/" + file)) {
            assertThat(in).as("example " + file + " on the test class path").isNotNull();
            return in.readAllBytes();
        }
    }
}
