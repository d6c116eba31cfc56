/**
 * Hand-written Flink serializers for the records tail sampling keeps in RocksDB and sends between operators: the
 * reflective POJO serializer spent a quarter of the tail operator's time on them. Each format is versioned by its
 * snapshot; a savepoint written with the POJO serializer is migrated on restore.
 */
package io.otlpgovernor.job.types;
