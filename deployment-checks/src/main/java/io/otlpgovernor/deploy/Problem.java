package io.otlpgovernor.deploy;

/**
 * One thing wrong with a deployment artefact.
 *
 * @param where   the file, and the resource and field when known ({@code helm/…/templates/x.yaml Deployment/name spec.replicas})
 * @param message what is wrong
 */
public record Problem(String where, String message) {

    @Override
    public String toString() {
        return where + ": " + message;
    }
}
