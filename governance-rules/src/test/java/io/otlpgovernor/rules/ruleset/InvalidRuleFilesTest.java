package io.otlpgovernor.rules.ruleset;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.otlpgovernor.rules.yaml.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Invalid rule directories kept as files beside the tests ({@code src/test/resources/.../ruleset/invalid/<case>/}),
 * each with the problems the loader must report for it in {@code expected-problems.txt}, one per line, in order.
 * A new case is a new folder.
 */
class InvalidRuleFilesTest {

    private static final String EXPECTED = "expected-problems.txt";

    static Stream<String> cases() throws IOException, URISyntaxException {
        try (Stream<Path> list = Files.list(root())) {
            return list.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsExactlyTheExpectedProblemsWithFileAndLine(String name) throws Exception {
        Path dir = root().resolve(name);
        List<String> expected = Files.readAllLines(dir.resolve(EXPECTED));
        RuleSources sources = RuleSources.fromDirectory(dir);

        RuleValidationException e = catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.load(sources));

        assertThat(e).as(name + " must not load").isNotNull();
        assertThat(e.problems()).extracting(Problem::toString).containsExactlyElementsOf(expected);
    }

    private static Path root() throws URISyntaxException {
        return Path.of(InvalidRuleFilesTest.class.getResource("invalid").toURI());
    }
}
