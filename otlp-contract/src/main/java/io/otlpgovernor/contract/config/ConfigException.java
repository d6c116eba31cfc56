package io.otlpgovernor.contract.config;

/**
 * A configuration or rule file that cannot be used. The message names the file, the line and the path of the
 * offending entry, and says what is wrong; it never repeats the offending value, which may be a secret.
 */
public final class ConfigException extends Exception {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
