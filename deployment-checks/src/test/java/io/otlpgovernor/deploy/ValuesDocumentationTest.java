package io.otlpgovernor.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every value of the chart is described in values.yaml ({@code # --}) and in the chart README's table. */
class ValuesDocumentationTest {

    @Test
    void everyValueIsInTheReadmeTable() throws IOException {
        JsonNode values = Manifest.YAML.readTree(
                Repository.ROOT.resolve("helm/otlp-governor/values.yaml").toFile());
        String readme = Files.readString(Repository.ROOT.resolve("helm/otlp-governor/README.md"));
        List<String> undocumented = new ArrayList<>();
        walk(values, "", readme, undocumented);

        assertThat(undocumented)
                .as("values missing from helm/otlp-governor/README.md")
                .isEmpty();
    }

    @Test
    void everyValueHasADescriptionInValuesYaml() throws IOException {
        List<String> lines = Files.readAllLines(Repository.ROOT.resolve("helm/otlp-governor/values.yaml"));
        List<String> bare = new ArrayList<>();
        // Keys above the current line, by indentation: a value is described when it or a key above it has "# --".
        java.util.Deque<int[]> described = new java.util.ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.matches("\\s*[A-Za-z0-9_.-]+:.*") || line.trim().startsWith("#")) {
                continue;
            }
            int indent = indent(line);
            while (!described.isEmpty() && described.peek()[0] >= indent) {
                described.pop();
            }
            boolean self = describedByCommentAbove(lines, i);
            boolean above = described.stream().anyMatch(entry -> entry[1] == 1);
            boolean leaf = !line.trim().endsWith(":");
            if (leaf && !self && !above) {
                bare.add("values.yaml:" + (i + 1) + " " + line.trim());
            }
            described.push(new int[] {indent, self || above ? 1 : 0});
        }
        assertThat(bare).as("values without a '# --' description").isEmpty();
    }

    /** helm-docs reads a description from the comment block right above a key, starting at its "# --" line. */
    private static boolean describedByCommentAbove(List<String> lines, int keyLine) {
        for (int i = keyLine - 1; i >= 0 && lines.get(i).trim().startsWith("#"); i--) {
            if (lines.get(i).trim().startsWith("# --")) {
                return true;
            }
        }
        return false;
    }

    private static int indent(String line) {
        return line.length() - line.stripLeading().length();
    }

    private static void walk(JsonNode node, String path, String readme, List<String> undocumented) {
        if (!path.isEmpty() && readme.contains("`" + path + "`")) {
            return;
        }
        if (node.isObject() && node.size() > 0) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                walk(
                        field.getValue(),
                        path.isEmpty() ? field.getKey() : path + "." + field.getKey(),
                        readme,
                        undocumented);
            }
        } else {
            undocumented.add(path);
        }
    }
}
