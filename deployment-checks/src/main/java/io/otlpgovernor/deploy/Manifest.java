package io.otlpgovernor.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One Kubernetes resource from a YAML stream, with the file it came from.
 *
 * @param source the file (for rendered charts: the template named in Helm's {@code # Source:} comment)
 * @param body   the resource
 */
public record Manifest(String source, ObjectNode body) {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    public String apiVersion() {
        return body.path("apiVersion").asText("");
    }

    public String kind() {
        return body.path("kind").asText("");
    }

    public String name() {
        return body.path("metadata").path("name").asText("");
    }

    /** {@code source Kind/name}: where a problem with this resource is. */
    public String where() {
        return source + " " + kind() + "/" + name();
    }

    /** The resource as JSON text. */
    public String json() {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every resource of a YAML file. */
    public static List<Manifest> read(Path file, String source) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * Every resource of a YAML stream. A document preceded by a {@code # Source: <path>} comment (as Helm writes them)
     * takes that path as its source; empty documents are skipped; a document that is not a mapping is an error.
     */
    public static List<Manifest> parse(String yaml, String source) {
        List<Manifest> manifests = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            String where = source;
            for (String line : document.lines().toList()) {
                if (line.startsWith("# Source: ")) {
                    where = line.substring("# Source: ".length()).trim();
                    break;
                }
            }
            JsonNode node;
            try {
                node = YAML.readTree(document);
            } catch (IOException e) {
                throw new IllegalArgumentException(where + ": not valid YAML: " + e.getMessage(), e);
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                continue;
            }
            if (!(node instanceof ObjectNode object)) {
                throw new IllegalArgumentException(where + ": a resource must be a mapping, got " + node.getNodeType());
            }
            manifests.add(new Manifest(where, object));
        }
        return manifests;
    }
}
