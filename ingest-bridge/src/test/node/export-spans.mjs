// Exports spans made by the OpenTelemetry JavaScript SDK to the ingest bridge, with the SDK's own OTLP exporter.
// Usage: node export-spans.mjs <http|grpc> <endpoint> <api key> <span name prefix> <count>
//   http: OTLP/HTTP with JSON bodies (@opentelemetry/exporter-trace-otlp-http), endpoint like http://localhost:4318/v1/traces
//   grpc: OTLP/gRPC (@opentelemetry/exporter-trace-otlp-grpc), endpoint like http://localhost:4317
// Prints one JSON line: {"code": <ExportResultCode, 0 = success>, "error": <message or null>, "names": [...]}.
import { TracerProvider, SimpleSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { OTLPTraceExporter as HttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { Metadata } from '@grpc/grpc-js';

const [transport, endpoint, apiKey, prefix, countText] = process.argv.slice(2);
const count = Number.parseInt(countText, 10);

const captured = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: captured })] });
const tracer = provider.getTracer('node-client-test');
for (let i = 0; i < count; i++) {
  const span = tracer.startSpan(`${prefix}-${i}`, { attributes: { 'client.language': 'javascript', 'item.index': i } });
  span.end();
}
await provider.forceFlush();
const spans = captured.getFinishedSpans();

let exporter;
if (transport === 'http') {
  exporter = new HttpExporter({ url: endpoint, headers: { Authorization: `Bearer ${apiKey}` }, timeoutMillis: 20000 });
} else {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  exporter = new GrpcExporter({ url: endpoint, metadata, timeoutMillis: 20000 });
}
const result = await new Promise((resolve) => exporter.export(spans, resolve));
await exporter.shutdown();
console.log(JSON.stringify({
  code: result.code,
  error: result.error ? String(result.error.message ?? result.error) : null,
  names: spans.map((span) => span.name),
}));
