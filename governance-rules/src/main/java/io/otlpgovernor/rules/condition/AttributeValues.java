package io.otlpgovernor.rules.condition;

import java.util.List;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;

/** How conditions read attributes: only the first attribute with a key counts, and a service is a string. */
public final class AttributeValues {

    /** The resource attribute naming the service. */
    public static final String SERVICE_NAME = "service.name";

    private AttributeValues() {}

    /** The resource's {@code service.name} when it is a string, else {@code ""}. */
    public static String serviceName(Resource resource) {
        AnyValue value = first(resource.getAttributesList(), SERVICE_NAME);
        return value != null && value.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? value.getStringValue() : "";
    }

    /** The value of the first attribute named {@code key}, or null. */
    public static AnyValue first(List<KeyValue> attributes, String key) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue attribute = attributes.get(i);
            if (attribute.getKey().equals(key)) {
                return attribute.getValue();
            }
        }
        return null;
    }
}
