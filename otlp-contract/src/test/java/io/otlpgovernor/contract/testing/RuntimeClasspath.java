package io.otlpgovernor.contract.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A module's runtime class path as Maven resolved it (written by maven-dependency-plugin's build-classpath to
 * {@code target/runtime-classpath.txt}), for tests that check what a module ships: the test's own class path holds
 * test dependencies too, so it cannot tell.
 */
public final class RuntimeClasspath {

    private final List<Path> entries;

    private RuntimeClasspath(List<Path> entries) {
        this.entries = entries;
    }

    /** The class path written to {@code target/runtime-classpath.txt} of the module the test runs in. */
    public static RuntimeClasspath ofThisModule() {
        Path file = Path.of("target", "runtime-classpath.txt");
        try {
            String text = Files.readString(file).strip();
            List<Path> entries = text.isEmpty()
                    ? List.of()
                    : Arrays.stream(text.split(java.io.File.pathSeparator))
                            .map(Path::of)
                            .toList();
            return new RuntimeClasspath(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("no runtime class path at " + file.toAbsolutePath(), e);
        }
    }

    /** The class path's entries: jars and class directories. */
    public List<Path> entries() {
        return entries;
    }

    /** Every class file (as a path like {@code io/otlpgovernor/rules/X.class}) under {@code packagePrefix} in any entry. */
    public List<String> classesUnder(String packagePrefix) {
        String prefix = packagePrefix.replace('.', '/') + "/";
        List<String> found = new ArrayList<>();
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                found.addAll(classesInDirectory(entry, prefix));
            } else if (Files.isRegularFile(entry)) {
                found.addAll(classesInJar(entry, prefix));
            }
        }
        return found;
    }

    private static List<String> classesInDirectory(Path directory, String prefix) {
        Path start = directory.resolve(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(start)) {
            return files.map(directory::relativize)
                    .map(p -> p.toString().replace(java.io.File.separatorChar, '/'))
                    .filter(name -> name.endsWith(".class"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> classesInJar(Path jar, String prefix) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .map(entry -> entry.getName())
                    .filter(name -> name.startsWith(prefix) && name.endsWith(".class"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }
}
