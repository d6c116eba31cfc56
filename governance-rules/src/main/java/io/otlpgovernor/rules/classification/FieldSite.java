package io.otlpgovernor.rules.classification;

import java.util.Arrays;
import java.util.Optional;

/** Where in OTLP data an attribute lives; rule files name these to choose what classification looks at. */
public enum FieldSite {
    RESOURCE("resource"),
    SCOPE("scope"),
    SPAN("span"),
    SPAN_EVENT("span-event"),
    SPAN_LINK("span-link"),
    LOG("log"),
    DATA_POINT("data-point");

    private final String id;

    FieldSite(String id) {
        this.id = id;
    }

    /** The name used in rule files and field paths. */
    public String id() {
        return id;
    }

    public static Optional<FieldSite> forId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
