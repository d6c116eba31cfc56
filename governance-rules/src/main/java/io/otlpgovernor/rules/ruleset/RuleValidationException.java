package io.otlpgovernor.rules.ruleset;

import java.util.List;
import java.util.stream.Collectors;

import io.otlpgovernor.rules.yaml.Problem;

/** Rule files that do not validate; carries every problem found, in file and line order. */
public final class RuleValidationException extends Exception {

    private final List<Problem> problems;

    public RuleValidationException(List<Problem> problems) {
        super(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the rules:\n"
                + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
