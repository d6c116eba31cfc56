package io.otlpgovernor.rules.yaml;

import java.util.ArrayList;
import java.util.List;

import org.yaml.snakeyaml.nodes.Node;

/** Collects every problem found while reading rule files, so all of them can be reported at once. */
public final class Problems {

    private final List<Problem> problems = new ArrayList<>();

    /** Records a problem at {@code node}'s line. */
    public void add(String file, Node node, String path, String reason) {
        problems.add(new Problem(file, node == null ? 0 : node.getStartMark().getLine() + 1, path, reason));
    }

    public void add(Problem problem) {
        problems.add(problem);
    }

    public int size() {
        return problems.size();
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** The problems in file and line order. */
    public List<Problem> sorted() {
        List<Problem> copy = new ArrayList<>(problems);
        copy.sort(null);
        return List.copyOf(copy);
    }
}
