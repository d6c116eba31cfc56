package io.otlpgovernor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

class RulesCommandTest {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new CommandLine(new RulesCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void validateSummarisesValidRules() {
        Run run = run("validate", "../governance-rules/rules");

        assertThat(run.status()).isZero();
        assertThat(run.out()).isEqualTo("OK: 3 tenants (acme v1, globex v1, paynow v1) in 7 files\n");
    }

    @Test
    void validateReportsEveryProblemAndExitsOne() throws IOException {
        Files.createDirectories(dir.resolve("tenants"));
        Files.writeString(
                dir.resolve("tenants/acme.yaml"),
                "tenant: acme\nversion: 1\nprotection:\n  - label: pii\n    action: shred\nquotas:\n  rate: 5\n");

        Run run = run("validate", dir.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "2 problems in the rules:",
                        "tenants/acme.yaml:5 protection[0].action: expected one of tag, hash, redact, drop-attribute, drop-record",
                        "tenants/acme.yaml:7 quotas.rate: expected a mapping of keys to values");
    }

    @Test
    void validateNamesAMissingDirectory() {
        Run run = run("validate", dir.resolve("nope").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo(dir.resolve("nope") + ": no such directory\n");
    }

    @Test
    void explainPrintsTheGovernedDataAndEveryDecision() {
        Run run = run(
                "explain",
                "--rules",
                "../governance-rules/rules",
                "--tenant",
                "acme",
                "--input",
                "src/test/resources/explain/checkout-spans.json");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("# rules: tenant acme v1 (presets: gdpr, pci-dss)")
                .contains("\"stringValue\": \"paid with [REDACTED:payment-card]\"")
                .contains("\"stringValue\": \"member hmac:ephemeral:")
                .contains("# decisions: 1 spans in, 1 out; labels pci, pii, secret")
                .containsPattern("email +pii +hash +1 +span.attributes\\[enduser.email]")
                .containsPattern("sensitive-key-name +secret +drop-attribute +1 +span.attributes\\[db.password]")
                .doesNotContain(
                        "jane.doe@example.org",
                        "4111 1111 1111 1111",
                        "hunter2",
                        "ACME-12345678",
                        "db.password\", \"value");
    }

    @Test
    void explainRejectsAnUnknownTenantAndBadInput() throws IOException {
        Path bad = Files.writeString(
                dir.resolve("bad.json"),
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"xyz\"}]}]}]}");

        Run unknown =
                run("explain", "--rules", "../governance-rules/rules", "--tenant", "nobody", "--input", bad.toString());
        Run invalid =
                run("explain", "--rules", "../governance-rules/rules", "--tenant", "acme", "--input", bad.toString());

        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no rules for tenant nobody (tenants: ");
        assertThat(invalid.status()).isEqualTo(1);
        assertThat(invalid.err()).contains(bad + ": resourceSpans[0].scopeSpans[0].spans[0].traceId: ");
    }

    @Test
    void aCommandIsRequired() {
        assertThat(run().status()).isEqualTo(2);
    }
}
