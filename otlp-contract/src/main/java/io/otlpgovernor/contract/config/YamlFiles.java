package io.otlpgovernor.contract.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML files into records, strictly: unknown keys, duplicate keys, wrong types and missing required values
 * are errors.
 *
 * <p>Errors become a {@link ConfigException} of the form {@code file:line path: reason}, the line being where the
 * offending entry starts. Reasons describe the expected shape and never quote the value found or the source line,
 * because configuration files hold secrets (API keys). Records validate their own invariants in their
 * constructors by throwing {@link IllegalArgumentException}; that message is used as the reason (a check of the
 * top-level record concerns the whole file and has no line).
 */
public final class YamlFiles {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            // A key written twice is a mistake (YAML forbids it); without this the last one silently wins.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // Keys are written kebab-case in files (bootstrap-servers) and camelCase in records (bootstrapServers).
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

    private YamlFiles() {}

    /** Reads {@code file} as a {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws ConfigException {
        try (InputStream in = Files.newInputStream(file);
                JsonParser parser = MAPPER.createParser(in)) {
            // A file with nothing but comments or whitespace has no first token; "~" and "---" read as null.
            T value = parser.nextToken() == null ? null : MAPPER.readValue(parser, type);
            if (value == null) {
                throw new ConfigException(file + ": the file is empty");
            }
            return value;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe(file, e));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    static String describe(Path file, JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException syntax) {
                return describeSyntaxError(file, syntax);
            }
        }
        String path = e instanceof JsonMappingException mapping ? path(mapping) : "";
        int line = line(file, e);
        return file + (line > 0 ? ":" + line : "") + (path.isEmpty() ? "" : " " + path) + ": " + reason(e);
    }

    /**
     * YAML syntax errors, from SnakeYAML's context and problem only: its full message quotes the offending source
     * line, which may hold a secret.
     */
    private static String describeSyntaxError(Path file, MarkedYAMLException e) {
        int problemLine = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
        int contextLine =
                e.getContextMark() == null ? problemLine : e.getContextMark().getLine() + 1;
        String problem = e.getProblem() == null ? "not valid YAML" : e.getProblem();
        String reason = e.getContext() == null
                ? problem
                : e.getContext() + ": " + problem
                        + (problemLine != contextLine && problemLine > 0 ? " (line " + problemLine + ")" : "");
        return file + (contextLine > 0 ? ":" + contextLine : "") + ": " + reason;
    }

    /**
     * The line of the offending entry. Jackson's own location is not it for errors found after a mapping was read
     * (unknown keys of records, record constructor checks), where it points at the end of the enclosing mapping;
     * so the entry is looked up by its path. A record check of the whole file has no single line.
     */
    private static int line(Path file, JsonProcessingException e) {
        if (e.getCause() instanceof JsonParseException parse && parse.getLocation() != null) {
            // A parse error (a duplicate key) met while reading an entry: the parser knows where it is.
            return Math.max(parse.getLocation().getLineNr(), 0);
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            int line = lineOfEntry(file, mapping.getPath());
            if (line > 0) {
                return line;
            }
        } else if (e instanceof ValueInstantiationException) {
            return 0;
        }
        JsonLocation location = e.getLocation();
        return location == null ? 0 : Math.max(location.getLineNr(), 0);
    }

    /** The line where the entry at {@code path} starts (its key, or the item itself in a list); 0 if not found. */
    private static int lineOfEntry(Path file, List<JsonMappingException.Reference> path) {
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = MAPPER.createParser(in)) {
            JsonToken token = p.nextToken();
            int line = 0;
            for (JsonMappingException.Reference ref : path) {
                if (ref.getIndex() >= 0 && token == JsonToken.START_ARRAY) {
                    token = p.nextToken();
                    for (int i = 0; i < ref.getIndex() && token != null && token != JsonToken.END_ARRAY; i++) {
                        p.skipChildren();
                        token = p.nextToken();
                    }
                    if (token == null || token == JsonToken.END_ARRAY) {
                        return 0;
                    }
                } else if (ref.getFieldName() != null && token == JsonToken.START_OBJECT) {
                    while ((token = p.nextToken()) == JsonToken.FIELD_NAME
                            && !ref.getFieldName().equals(p.currentName())) {
                        p.nextToken();
                        p.skipChildren();
                    }
                    if (token != JsonToken.FIELD_NAME) {
                        return 0;
                    }
                } else {
                    return 0;
                }
                line = p.currentTokenLocation().getLineNr();
                if (token == JsonToken.FIELD_NAME) {
                    token = p.nextToken();
                }
            }
            return line;
        } catch (IOException e) {
            return 0;
        }
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
            String known = unknown.getKnownPropertyIds() == null
                    ? ""
                    : unknown.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "));
            return "unknown key '" + unknown.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : " (expected one of: " + known + ")");
        }
        if (e instanceof ValueInstantiationException invalid
                && invalid.getCause() instanceof IllegalArgumentException cause) {
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
            return "one of "
                    + java.util.Arrays.toString(target.getEnumConstants()).toLowerCase(java.util.Locale.ROOT);
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
