package io.otlpgovernor.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * JSON Schemas of the custom resources: the FlinkDeployment's, made strict from the operator's CRD, and small
 * hand-written ones for KafkaTopic (Strimzi), ServiceMonitor, PodMonitor and PrometheusRule (Prometheus Operator),
 * whose CRDs are not on Maven Central; those cover the fields this project uses and refuse any other.
 */
public final class JsonSchemas {

    /** The FlinkDeployment CRD in flink-kubernetes-operator-api (apiextensions.k8s.io/v1 form). */
    static final String FLINK_CRD = "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml";

    /** Flink versions the job may run on: operators from 1.13 accept v2_2, which the 1.10 CRD does not list. */
    static final List<String> EXTRA_FLINK_VERSIONS = List.of("v2_2");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    /** apiVersion/kind → schema. */
    private static final Map<String, JsonSchema> SCHEMAS = Map.of(
            "flink.apache.org/v1beta1/FlinkDeployment", FACTORY.getSchema(flinkDeploymentSchema()),
            "kafka.strimzi.io/v1beta2/KafkaTopic", FACTORY.getSchema(resource("schemas/kafkatopic.schema.json")),
            "monitoring.coreos.com/v1/ServiceMonitor",
                    FACTORY.getSchema(resource("schemas/servicemonitor.schema.json")),
            "monitoring.coreos.com/v1/PodMonitor", FACTORY.getSchema(resource("schemas/podmonitor.schema.json")),
            "monitoring.coreos.com/v1/PrometheusRule",
                    FACTORY.getSchema(resource("schemas/prometheusrule.schema.json")));

    private JsonSchemas() {}

    public static boolean knows(Manifest manifest) {
        return SCHEMAS.containsKey(manifest.apiVersion() + "/" + manifest.kind());
    }

    /** Problems of a custom resource against its schema, each naming the field ({@code $.spec.job.upgradeMode}). */
    public static List<Problem> validate(Manifest manifest) {
        JsonSchema schema = SCHEMAS.get(manifest.apiVersion() + "/" + manifest.kind());
        if (schema == null) {
            return List.of(new Problem(
                    manifest.where(),
                    "no schema for apiVersion " + manifest.apiVersion() + " kind " + manifest.kind()));
        }
        return schema.validate(manifest.body()).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(message -> new Problem(manifest.where(), message.getMessage()))
                .toList();
    }

    /**
     * The FlinkDeployment schema: the newest served version of the operator's CRD, with every object that lists its
     * properties (and does not preserve unknown fields) closed to others, {@code v2_2} added to {@code flinkVersion},
     * and the resource's own {@code apiVersion}, {@code kind}, {@code metadata} (name required) and {@code spec}
     * required. {@code status} is the operator's: a manifest must not set it.
     */
    static ObjectNode flinkDeploymentSchema() {
        JsonNode crd = yamlResource(FLINK_CRD);
        JsonNode newest = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("served").asBoolean(false)) {
                newest = version; // listed oldest first
            }
        }
        if (newest == null) {
            throw new IllegalStateException(FLINK_CRD + ": no served version");
        }
        ObjectNode schema = strict(newest.path("schema").path("openAPIV3Schema").deepCopy());
        ObjectNode properties = (ObjectNode) schema.get("properties");
        properties.remove("status");
        properties.set(
                "apiVersion",
                JsonNodeFactory.instance
                        .objectNode()
                        .put(
                                "const",
                                crd.path("spec").path("group").asText() + "/"
                                        + newest.path("name").asText()));
        properties.set("kind", JsonNodeFactory.instance.objectNode().put("const", "FlinkDeployment"));
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("type", "object");
        metadata.putArray("required").add("name");
        properties.set("metadata", metadata);
        schema.put("additionalProperties", false);
        schema.putArray("required")
                .add("apiVersion")
                .add("kind")
                .add("metadata")
                .add("spec");
        ArrayNode versions = (ArrayNode)
                properties.path("spec").path("properties").path("flinkVersion").path("enum");
        EXTRA_FLINK_VERSIONS.forEach(versions::add);
        return schema;
    }

    /** Closes objects with listed properties; drops Kubernetes extensions the validator does not know. */
    private static ObjectNode strict(ObjectNode node) {
        boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("x-kubernetes-")) {
                names.remove();
            }
        }
        if (node.has("properties") && !preserve && !node.has("additionalProperties")) {
            node.put("additionalProperties", false);
        }
        node.properties().forEach(entry -> {
            JsonNode child = entry.getValue();
            if (entry.getKey().equals("properties")) {
                child.properties().forEach(property -> strict((ObjectNode) property.getValue()));
            } else if (child instanceof ObjectNode object
                    && (entry.getKey().equals("items") || entry.getKey().equals("additionalProperties"))) {
                strict(object);
            } else if (child instanceof ArrayNode array
                    && (entry.getKey().equals("anyOf")
                            || entry.getKey().equals("allOf")
                            || entry.getKey().equals("oneOf"))) {
                array.forEach(element -> strict((ObjectNode) element));
            }
        });
        return node;
    }

    private static JsonNode resource(String name) {
        try (InputStream in = stream(name)) {
            return Manifest.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    private static JsonNode yamlResource(String name) {
        try (InputStream in = stream(name)) {
            return Manifest.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }

    private static InputStream stream(String name) {
        InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("not on the class path: " + name);
        }
        return in;
    }
}
