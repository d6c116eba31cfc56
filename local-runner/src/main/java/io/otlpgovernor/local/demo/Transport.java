package io.otlpgovernor.local.demo;

/** How a demo tenant's services send OTLP: both of the bridge's transports are exercised. */
enum Transport {
    /** OTLP/gRPC, port 4317 by default. */
    GRPC,
    /** OTLP/HTTP with protobuf bodies, port 4318 by default. */
    HTTP
}
