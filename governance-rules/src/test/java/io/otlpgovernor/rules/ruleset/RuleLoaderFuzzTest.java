package io.otlpgovernor.rules.ruleset;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.otlpgovernor.contract.testing.Echoes;
import io.otlpgovernor.rules.yaml.Problem;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RuleLoader} on arbitrary text as a tenant file, beside the shipped presets. Properties: the only failure is
 * {@link RuleValidationException}, with at least one problem, each naming a file of the input; and no problem quotes
 * a value of the file — only keys and identifiers (tenant, preset and detector names, labels, tiers …), which name
 * things rather than hold data.
 */
class RuleLoaderFuzzTest {

    private static final String FILE = "tenants/fuzz.yaml";
    private static final Map<String, String> PRESETS =
            RuleSources.fromDirectory(Path.of("rules")).files().entrySet().stream()
                    .filter(file -> file.getKey().startsWith(RuleSources.PRESETS))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

    /** Keys whose values are names of things the rules define or refer to: a problem may name them. */
    private static final Set<String> IDENTIFIER_KEYS = Set.of(
            "tenant",
            "preset",
            "extends",
            "id",
            "label",
            "labels",
            "tier",
            "default-tier",
            "rule",
            "type",
            "signals",
            "span-kinds",
            "action",
            "over-quota",
            "unit",
            "detectors",
            "fields",
            "attributes");

    /** A Java string literal, for the loader's own wording. */
    private static final java.util.regex.Pattern STRING_LITERAL =
            java.util.regex.Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*)\"");

    /**
     * The words of the rule language itself (the schema: keys, enumerations, descriptions) and of the loader's
     * messages, which messages use in their own wording — "a rule file names either 'tenant' … or 'preset' (a
     * compliance preset)" quotes nothing.
     */
    private static final Set<String> LANGUAGE = languageWords();

    @FuzzTest(maxDuration = "10s")
    void rejectsOnlyWithValidationProblemsThatQuoteNoValue(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Map<String, String> files = new HashMap<>(PRESETS);
        files.put(FILE, text);
        try {
            RuleLoader.load(new RuleSources(files));
        } catch (RuleValidationException e) {
            assertThat(e.problems()).isNotEmpty();
            Set<String> values = dataWords(text);
            values.removeAll(LANGUAGE);
            for (Problem problem : e.problems()) {
                assertThat(problem.file()).isIn(files.keySet());
                assertThat(Echoes.words(problem.reason()))
                        .as("value quoted in: %s", problem)
                        .noneMatch(values::contains);
            }
        }
    }

    private static Set<String> languageWords() {
        try (var sources = Files.walk(Path.of("src/main/java/io/otlpgovernor/rules"))) {
            Set<String> words = new HashSet<>(Echoes.words(Files.readString(Path.of("schema/rule-file.schema.json"))));
            // The loader's own wording ("unknown key (expected one of: …)"): the words of the string literals in
            // its sources. An input value that happens to be one of them is not quoted by a message that uses it.
            for (Path source :
                    sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher literal = STRING_LITERAL.matcher(Files.readString(source));
                while (literal.find()) {
                    words.addAll(Echoes.words(literal.group(1)));
                }
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Words of the scalar values in {@code text} that are data rather than names; none when it is not YAML. A word
     * the file also uses as a name (say a tenant id that appears in a description too) counts as a name.
     */
    private static Set<String> dataWords(String text) {
        Set<String> data = new HashSet<>();
        Set<String> names = new HashSet<>();
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            collect(root, null, data, names);
        } catch (YAMLException | IllegalArgumentException e) {
            // Not YAML: the loader reports SnakeYAML's problem, which names a token kind, not content.
        }
        data.removeAll(names);
        return data;
    }

    private static void collect(Node node, String key, Set<String> data, Set<String> names) {
        if (node instanceof ScalarNode scalar) {
            (key != null && IDENTIFIER_KEYS.contains(key) ? names : data).addAll(Echoes.words(scalar.getValue()));
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> collect(item, key, data, names));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String childKey = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
                collect(tuple.getValueNode(), childKey, data, names);
            }
        }
    }
}
