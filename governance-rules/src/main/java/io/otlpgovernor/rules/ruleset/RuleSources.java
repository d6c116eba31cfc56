package io.otlpgovernor.rules.ruleset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The text of rule files by their path relative to the rules directory ({@code tenants/acme.yaml},
 * {@code presets/gdpr.yaml}). The same form comes from a directory and from the rules topic.
 *
 * @param files relative path → YAML text, in path order
 */
public record RuleSources(Map<String, String> files) {

    public static final String PRESETS = "presets/";
    public static final String TENANTS = "tenants/";

    public RuleSources {
        files = Map.copyOf(files);
    }

    /** Reads every {@code *.yaml} file under {@code dir}'s {@code presets/} and {@code tenants/} folders. */
    public static RuleSources fromDirectory(Path dir) {
        Map<String, String> files = new TreeMap<>();
        for (String folder : new String[] {PRESETS, TENANTS}) {
            Path sub = dir.resolve(folder);
            if (!Files.isDirectory(sub)) {
                continue;
            }
            try (Stream<Path> paths = Files.list(sub)) {
                for (Path file : paths.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                        .sorted()
                        .toList()) {
                    files.put(folder + file.getFileName(), Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read rule files in " + sub, e);
            }
        }
        return new RuleSources(files);
    }

    /** The files one tenant's rules are made of: its tenant file and every preset. */
    public RuleSources forTenant(String tenant) {
        Map<String, String> subset = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.startsWith(PRESETS) || path.equals(TENANTS + tenant + ".yaml")) {
                subset.put(path, text);
            }
        });
        return new RuleSources(subset);
    }
}
