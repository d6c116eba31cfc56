package io.otlpgovernor.contract.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class YamlFilesTest {

    /** What the test files are read into: kebab-case keys, a nested record, a list, and constructor checks. */
    record Server(String hostName, Integer port, Boolean enabled, List<String> tags, Limits limits) {
        Server {
            if (port != null && port > 65535) {
                throw new IllegalArgumentException("port must be at most 65535");
            }
        }
    }

    record Limits(Integer maxItems) {
        Limits {
            if (maxItems != null && maxItems < 1) {
                throw new IllegalArgumentException("max-items must be at least 1");
            }
        }
    }

    private static final String SECRET = "sk-live-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void readsKebabCaseKeysIntoRecords() throws Exception {
        Path file = write("host-name: example.org\nport: 8080\nenabled: true\ntags: [a, b]\nlimits:\n  max-items: 5\n");

        Server server = YamlFiles.read(file, Server.class);

        assertThat(server).isEqualTo(new Server("example.org", 8080, true, List.of("a", "b"), new Limits(5)));
    }

    @Test
    void rejectsUnknownKeyNamingLinePathAndExpectedKeys() throws Exception {
        Path file = write("host-name: a\ncolour: red\nport: 1\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file
                        + ":2 colour: unknown key 'colour' (expected one of: enabled, host-name, limits, port, tags)");
    }

    @Test
    void rejectsUnknownNestedKeyWithItsFullPath() throws Exception {
        Path file = write("host-name: a\nlimits:\n  max-itemz: 5\nport: 1\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":3 limits.max-itemz: unknown key 'max-itemz' (expected one of: max-items)");
    }

    @Test
    void rejectsWrongTypeWithoutRepeatingTheValue() throws Exception {
        Path file = write("host-name: a\nport: " + SECRET + "\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":2 port: expected a whole number")
                .message()
                .doesNotContain(SECRET);
    }

    @Test
    void describesTheExpectedShapeOfEachType() throws Exception {
        assertThatThrownBy(() -> YamlFiles.read(write("enabled: " + SECRET + "\n"), Server.class))
                .hasMessageEndingWith(":1 enabled: expected true or false");
        assertThatThrownBy(() -> YamlFiles.read(write("tags: " + SECRET + "\n"), Server.class))
                .hasMessageEndingWith(":1 tags: expected a list");
        assertThatThrownBy(() -> YamlFiles.read(write("limits: " + SECRET + "\n"), Server.class))
                .hasMessageEndingWith(":1 limits: expected a mapping of keys to values");
        assertThatThrownBy(() -> YamlFiles.read(write("port: 1\nlimits:\n  max-items: " + SECRET + "\n"), Server.class))
                .hasMessageEndingWith(":3 limits.max-items: expected a whole number");
    }

    @Test
    void namesTheListIndexOfAWrongItem() throws Exception {
        Path file = write("tags:\n  - a\n  - {nested: " + SECRET + "}\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":3 tags[1]: expected a text value");
    }

    @Test
    void usesTheRecordConstructorsMessageAsReason() throws Exception {
        Path file = write("host-name: a\nlimits:\n  max-items: 0\nport: 1\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":2 limits: max-items must be at least 1");
    }

    @Test
    void reportsAConstructorCheckOfTheWholeFileWithoutALine() throws Exception {
        Path file = write("host-name: a\nport: 70000\nenabled: true\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class)).hasMessage(file + ": port must be at most 65535");
    }

    @Test
    void rejectsDuplicateKeys() throws Exception {
        Path file = write("port: 1\nlimits:\n  max-items: 1\n  max-items: 2\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessageStartingWith(file + ":4 limits: ")
                .hasMessageContaining("'max-items'");
    }

    @Test
    void reportsSyntaxErrorsWithoutQuotingTheSource() throws Exception {
        Path file = write("host-name: a\n" + SECRET + "\nport: 1\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":2: while scanning a simple key: could not find expected ':' (line 3)")
                .message()
                .doesNotContain(SECRET);
    }

    @Test
    void reportsSyntaxErrorsInsideListsWithoutQuotingTheSource() throws Exception {
        Path file = write("host-name: a\ntags: [\"" + SECRET + "\"\nport: 1\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessageStartingWith(file + ":2: while parsing a flow sequence: ")
                .message()
                .doesNotContain(SECRET);
    }

    @Test
    void reportsMissingFile() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void reportsEmptyFile() throws Exception {
        Path file = write("");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class)).hasMessage(file + ": the file is empty");
    }

    @Test
    void treatsFileOfOnlyCommentsOrANullDocumentAsEmpty() throws Exception {
        Path comments = write("# everything is commented out\n# port: 1\n");
        Path nullDocument = write("---\n");

        assertThatThrownBy(() -> YamlFiles.read(comments, Server.class)).hasMessage(comments + ": the file is empty");
        assertThatThrownBy(() -> YamlFiles.read(nullDocument, Server.class))
                .hasMessage(nullDocument + ": the file is empty");
    }

    @Test
    void rejectsAScalarWhereAMappingIsExpected() throws Exception {
        Path file = write("just-some-text\n");

        assertThatThrownBy(() -> YamlFiles.read(file, Server.class))
                .hasMessage(file + ":1: expected a mapping of keys to values");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }
}
