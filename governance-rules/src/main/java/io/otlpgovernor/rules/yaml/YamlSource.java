package io.otlpgovernor.rules.yaml;

import java.io.StringReader;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses YAML text into a node tree that remembers where each node came from, so every problem found later can
 * name its line. Aliases, recursive keys and duplicate keys are refused, and documents are size-limited, so a
 * rule file cannot blow up the reader.
 */
public final class YamlSource {

    private static final int MAX_CODE_POINTS = 2 * 1024 * 1024;

    private YamlSource() {}

    /** The root node of {@code text}, or empty after recording a problem when the text is not one YAML document. */
    public static Optional<Node> parse(String file, String text, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(0);
        options.setCodePointLimit(MAX_CODE_POINTS);
        try {
            Node root = new Yaml(options).compose(new StringReader(text));
            if (root == null) {
                problems.add(new Problem(file, 0, "", "the file is empty"));
            }
            return Optional.ofNullable(root);
        } catch (MarkedYAMLException e) {
            // Only the problem and its line: SnakeYAML's full message quotes the source line, which may hold a secret.
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            String reason = e.getProblem() == null ? "not valid YAML" : "not valid YAML: " + e.getProblem();
            problems.add(new Problem(file, line, "", reason));
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(
                    new Problem(file, 0, "", "not valid YAML (" + e.getClass().getSimpleName() + ")"));
            return Optional.empty();
        }
    }
}
