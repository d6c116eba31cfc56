# The governance job on the official Flink image, for the Flink Kubernetes Operator (application mode).
# Build from the repository root:
#   docker build -f docker/job.Dockerfile -t <registry>/otlp-governor/job:<tag> .
# The job jar is /opt/flink/usrlib/otlp-governor-job.jar (FlinkDeployment job.jarURI
# local:///opt/flink/usrlib/otlp-governor-job.jar); the image runs as the image's flink user (9999).

# ---- build: the shaded job jar (job/target/otlp-governor-job.jar), without Flink's own classes ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY . /build
RUN mvn -B -q -pl job -am -DskipTests package

# ---- runtime: Flink with the S3 file system plugin and the Prometheus reporter ----
# Flink 2.2.0 on Java 17: the Flink version the job is built against (pom.xml flink.version).
FROM flink:2.2.0-java17
LABEL org.opencontainers.image.title="otlp-governor job" \
      org.opencontainers.image.description="Flink job governing OpenTelemetry data from Kafka" \
      org.opencontainers.image.licenses="Apache-2.0"
# Checkpoints, savepoints and HA metadata go to S3-compatible storage: the Hadoop S3 file system reads
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (from a Secret) or the pod's cloud identity. Plugins load from
# their own folder under plugins/. The Prometheus reporter ships in plugins/metrics-prometheus; the build stops
# if it is missing, and the reporter is switched on below (the FlinkDeployment sets the same keys).
RUN mkdir -p /opt/flink/plugins/s3-fs-hadoop \
 && cp /opt/flink/opt/flink-s3-fs-hadoop-*.jar /opt/flink/plugins/s3-fs-hadoop/ \
 && ls /opt/flink/plugins/metrics-prometheus/flink-metrics-prometheus-*.jar \
 && printf '%s\n' \
      'metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory' \
      'metrics.reporter.prom.port: 9249' >> /opt/flink/conf/config.yaml \
 && mkdir -p /opt/flink/usrlib /opt/flink/rocksdb \
 && chown flink:flink /opt/flink/usrlib /opt/flink/rocksdb
COPY --from=build --chown=flink:flink /build/job/target/otlp-governor-job.jar /opt/flink/usrlib/otlp-governor-job.jar
USER flink
EXPOSE 6123 6124 8081 9249
