# The OTLP ingest bridge. Build from the repository root (the build context is the whole repository):
#   docker build -f docker/bridge.Dockerfile -t <registry>/otlp-governor/bridge:<tag> .
# Runs as the numeric non-root user 10001; takes its settings file as its argument
# (the Helm chart mounts /etc/otlp-governor/bridge/bridge.yaml). Ports: 4317 OTLP/gRPC, 4318 OTLP/HTTP,
# 9464 health (/health/live, /health/ready) and Prometheus metrics (/metrics).

# ---- build: the bridge and its run-time libraries ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY . /build
# The local repository of this stage is thrown away with it, so installing the modules here is harmless;
# copy-dependencies then finds them without the whole reactor.
RUN mvn -B -q -pl ingest-bridge -am -DskipTests install \
 && mvn -B -q -pl ingest-bridge dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=/build/lib \
 && cp ingest-bridge/target/ingest-bridge-*.jar /build/lib/

# ---- runtime: a slim JRE, nothing else ----
FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="otlp-governor bridge" \
      org.opencontainers.image.description="OTLP/gRPC and OTLP/HTTP ingest bridge writing to Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 otlp \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin otlp
COPY --from=build /build/lib/ /opt/otlp-governor/lib/
USER 10001:10001
EXPOSE 4317 4318 9464
# No curl in the image: bash asks the admin port itself. Ready means Kafka is reachable and the bridge is not
# draining. (Six tries cover start-up; Kubernetes uses the chart's probes, not this.)
HEALTHCHECK --interval=10s --timeout=3s --retries=6 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9464 && printf 'GET /health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-cp", "/opt/otlp-governor/lib/*", "io.otlpgovernor.bridge.BridgeMain"]
CMD ["/etc/otlp-governor/bridge/bridge.yaml"]
