package io.otlpgovernor.rules.classification;

import java.util.Arrays;
import java.util.Optional;

import io.otlpgovernor.contract.otlp.tree.AttributeSite;

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

    /** The site of an attribute list the tree walk hands over; exemplars are not classified, so they have none. */
    public static FieldSite of(AttributeSite site) {
        return switch (site) {
            case RESOURCE -> RESOURCE;
            case SCOPE -> SCOPE;
            case SPAN -> SPAN;
            case SPAN_EVENT -> SPAN_EVENT;
            case SPAN_LINK -> SPAN_LINK;
            case LOG_RECORD -> LOG;
            case DATA_POINT -> DATA_POINT;
            case EXEMPLAR -> throw new IllegalArgumentException("exemplars are not classified");
        };
    }

    public static Optional<FieldSite> forId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
