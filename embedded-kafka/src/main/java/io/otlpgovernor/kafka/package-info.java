/** An in-process single-node KRaft Kafka broker for the local stack and the integration tests. */
package io.otlpgovernor.kafka;
