package io.otlpgovernor.rules.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads YAML files into records, strictly: unknown keys, wrong types and missing required values are errors.
 *
 * <p>Errors become a {@link ConfigException} of the form {@code file:line path: reason}. Reasons describe the
 * expected shape and never quote the value found, because configuration files hold secrets (API keys).
 * Records validate their own invariants in their constructors by throwing {@link IllegalArgumentException};
 * that message is used as the reason.
 */
public final class YamlFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            // Keys are written kebab-case in files (bootstrap-servers) and camelCase in records (bootstrapServers).
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private YamlFiles() {
    }

    /** Reads {@code file} as a {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            T value = MAPPER.readValue(in, type);
            if (value == null) {
                throw new ConfigException(file + ": the file is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(file.toString(), e));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static String describe(String source, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = source + (location != null && location.getLineNr() > 0 ? ":" + location.getLineNr() : "");
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        return where + (path.isEmpty() ? "" : " " + path) + ": " + reason(e);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown key '" + unknown.getPropertyName() + "'" + (known.isEmpty() ? "" : " (expected one of: " + known + ")");
        }
        if (e instanceof ValueInstantiationException invalid && invalid.getCause() instanceof IllegalArgumentException cause) {
            return cause.getMessage();
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            Class<?> target = ((MismatchedInputException) e).getTargetType();
            return "expected " + shapeOf(target);
        }
        // Syntax errors: the parser's own description, without the excerpt of the source it appends.
        return e.getOriginalMessage().replaceAll("(?s)\\s*at \\[Source.*", "");
    }

    private static String shapeOf(Class<?> target) {
        if (target == null) {
            return "a different value";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "a whole number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a text value";
        }
        if (target.isEnum()) {
            return "one of " + java.util.Arrays.toString(target.getEnumConstants()).toLowerCase(java.util.Locale.ROOT);
        }
        if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list";
        }
        if (java.util.Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "a mapping of keys to values";
        }
        return "a " + target.getSimpleName();
    }
}
