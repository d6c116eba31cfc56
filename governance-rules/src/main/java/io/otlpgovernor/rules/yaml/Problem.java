package io.otlpgovernor.rules.yaml;

/**
 * One thing wrong in a rule file: {@code file:line path: reason}, e.g.
 * {@code tenants/acme.yaml:14 classification.patterns[2].regex: unbalanced parenthesis}.
 * The reason describes what is expected and never quotes a value that could be sensitive.
 *
 * @param file   the file as the user named it
 * @param line   1-based line, 0 when the problem concerns the whole file
 * @param path   dotted path of the entry, empty for the whole file
 * @param reason what is wrong, in words a person understands
 */
public record Problem(String file, int line, String path, String reason) implements Comparable<Problem> {

    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + (path.isEmpty() ? "" : " " + path) + ": " + reason;
    }

    @Override
    public int compareTo(Problem other) {
        int byFile = file.compareTo(other.file);
        return byFile != 0 ? byFile : Integer.compare(line, other.line);
    }
}
