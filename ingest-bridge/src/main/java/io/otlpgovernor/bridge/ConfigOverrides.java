package io.otlpgovernor.bridge;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.otlpgovernor.contract.config.ConfigException;
import io.otlpgovernor.contract.config.YamlFiles;

/**
 * Environment overrides of the configuration file: {@code OTLP_BRIDGE_<KEY>}, where KEY is the key's path in upper
 * case with {@code .} and {@code -} written as {@code _} ({@code kafka.bootstrap-servers} →
 * {@code OTLP_BRIDGE_KAFKA_BOOTSTRAP_SERVERS}). A plain setting takes the variable's text as it is (secrets need no
 * quoting); a section or a mapping ({@code OTLP_BRIDGE_KAFKA_PROPERTIES}, {@code OTLP_BRIDGE_LIMITS_TENANTS}) takes a
 * YAML flow mapping and replaces the file's value whole. A variable with the prefix that names no setting is an
 * error, so a typo does not go unnoticed. Errors never quote the values.
 */
final class ConfigOverrides {

    static final String PREFIX = "OTLP_BRIDGE_";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Every setting by its environment variable name; {@code true} for sections and mappings. */
    private static final Map<String, Setting> SETTINGS = settings();

    private record Setting(String path, boolean structured) {}

    private ConfigOverrides() {}

    static BridgeConfig load(Path file, Map<String, String> environment) throws ConfigException {
        Map<String, String> overrides = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                overrides.put(name, value);
            }
        });
        if (overrides.isEmpty()) {
            return YamlFiles.read(file, BridgeConfig.class);
        }
        ObjectNode tree = YamlFiles.read(file, ObjectNode.class);
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            Setting setting = SETTINGS.get(override.getKey());
            if (setting == null) {
                throw new ConfigException(
                        "environment variable " + override.getKey() + ": not a bridge setting (expected one of: "
                                + String.join(", ", new TreeMap<>(SETTINGS).keySet()) + ")");
            }
            set(tree, setting.path().split("\\."), value(override.getKey(), setting, override.getValue()));
        }
        try {
            return YAML.treeToValue(tree, BridgeConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    file + " with environment overrides " + String.join(", ", overrides.keySet()) + ": " + describe(e));
        }
    }

    private static JsonNode value(String name, Setting setting, String text) throws ConfigException {
        if (!setting.structured()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ConfigException(
                        "environment variable " + name + ": expected a YAML mapping such as {key: value}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException("environment variable " + name + ": not valid YAML");
        }
    }

    private static void set(ObjectNode tree, String[] path, JsonNode value) {
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            node = child instanceof ObjectNode object ? object : node.putObject(path[i]);
        }
        node.set(path[path.length - 1], value);
    }

    private static String describe(JsonProcessingException e) {
        String path = e instanceof JsonMappingException mapping
                ? mapping.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining("."))
                : "";
        String reason;
        if (e instanceof ValueInstantiationException invalid
                && invalid.getCause() instanceof IllegalArgumentException cause) {
            reason = cause.getMessage();
        } else if (e instanceof UnrecognizedPropertyException unknown) {
            reason = "unknown key '" + unknown.getPropertyName() + "'";
        } else {
            reason = "a value of the wrong type";
        }
        return (path.isEmpty() ? "" : path + ": ") + reason;
    }

    private static Map<String, Setting> settings() {
        Map<String, Setting> settings = new LinkedHashMap<>();
        collect(BridgeConfig.class, "", settings);
        return Map.copyOf(settings);
    }

    private static void collect(Class<?> record, String prefix, Map<String, Setting> settings) {
        for (RecordComponent component : record.getRecordComponents()) {
            String key = prefix + PropertyNamingStrategies.KebabCaseStrategy.INSTANCE.translate(component.getName());
            Class<?> type = component.getType();
            boolean structured = type.isRecord() || Map.class.isAssignableFrom(type);
            String name = PREFIX
                    + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
            if (settings.put(name, new Setting(key, structured)) != null) {
                throw new IllegalStateException("two settings share the environment variable " + name);
            }
            if (type.isRecord()) {
                collect(type, key + ".", settings);
            }
        }
    }
}
