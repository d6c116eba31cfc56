package io.otlpgovernor.rules.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFilesTest {
    record Server(String hostName, Integer port, Boolean enabled, List<String> tags, Limits limits) {
        Server {
            if (port != null && port > 65535) throw new IllegalArgumentException("port must be at most 65535");
        }
    }
    record Limits(Integer maxItems) {
        Limits {
            if (maxItems != null && maxItems < 1) throw new IllegalArgumentException("max-items must be at least 1");
        }
    }
    @TempDir Path dir;

    void show(String name, String yaml) throws Exception {
        Path f = dir.resolve(name + ".yaml");
        if (yaml != null) Files.writeString(f, yaml);
        try { System.out.println(name + " OK " + YamlFiles.read(f, Server.class)); }
        catch (ConfigException e) { System.out.println(name + " -> " + e.getMessage().replace(dir.toString(), "DIR")); }
    }

    @Test
    void explore() throws Exception {
        show("ok", "host-name: a\nport: 80\nenabled: true\ntags: [x, y]\nlimits:\n  max-items: 5\n");
        show("unknown", "host-name: a\ncolour: red\n");
        show("unknownNested", "host-name: a\nlimits:\n  max-itemz: 5\n");
        show("wrongType", "host-name: a\nport: s3cr3t-value\n");
        show("wrongBool", "enabled: s3cr3t-value\n");
        show("wrongList", "tags: s3cr3t-value\n");
        show("wrongListItem", "tags:\n  - a\n  - {x: s3cr3t}\n");
        show("wrongNested", "limits: s3cr3t-value\n");
        show("iaeTop", "host-name: a\nport: 70000\nenabled: true\n");
        show("iaeNested", "host-name: a\nlimits:\n  max-items: 0\nport: 1\n");
        show("missing", null);
        show("empty", "");
        show("comment", "# nothing\n");
        show("null", "~\n");
        show("docsep", "---\n");
        show("syntax", "host-name: a\nport: [1,\n");
        show("scalar", "just-text\n");
        show("trailing", "host-name: a\n---\nport: 1\n");
        show("nullPrimitive", "port: 1.5\n");
        show("syn1", "host-name: a\ntags: [\"sk-secret-123456789\"\nport: 1\n");
        show("syn2", "host-name: \"sk-secret-123456789\nport: 1\n");
        show("syn3", "host-name: a\nsk-secret-123456789\nport: 1\n");
        show("syn4", "host-name: a\n\tport: sk-secret-123456789\n");
        show("syn5", "host-name: sk-secret-123456789: x\n");
        show("dup", "port: 1\nport: 2\n");
    }
}
