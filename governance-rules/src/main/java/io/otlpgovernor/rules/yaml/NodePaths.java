package io.otlpgovernor.rules.yaml;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Finds the line of an entry by its path ({@code protection[2].rule}), for problems found after reading. */
public final class NodePaths {

    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private NodePaths() {}

    /** The 1-based line of the entry at {@code path} below {@code root}, or of the deepest entry found on the way. */
    public static int line(Node root, String path) {
        Node current = root;
        int line = root == null ? 0 : root.getStartMark().getLine() + 1;
        Matcher segments = SEGMENT.matcher(path);
        while (current != null && segments.find()) {
            current = child(current, segments.group(1));
            if (current == null) {
                break;
            }
            line = current.getStartMark().getLine() + 1;
            Matcher indexes = INDEX.matcher(segments.group(2));
            while (current != null && indexes.find()) {
                int index = Integer.parseInt(indexes.group(1));
                current = current instanceof SequenceNode seq
                                && index < seq.getValue().size()
                        ? seq.getValue().get(index)
                        : null;
                if (current != null) {
                    line = current.getStartMark().getLine() + 1;
                }
            }
        }
        return line;
    }

    private static Node child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar
                        && scalar.getValue().equals(key)) {
                    return tuple.getValueNode();
                }
            }
        }
        return null;
    }
}
