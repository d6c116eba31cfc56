package io.otlpgovernor.bridge.http;

import com.linecorp.armeria.common.MediaType;

/** The two OTLP/HTTP body encodings; the response uses the request's. */
enum BodyEncoding {
    PROTOBUF(MediaType.create("application", "x-protobuf")),
    JSON(MediaType.JSON);

    private final MediaType mediaType;

    BodyEncoding(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /** The encoding of a request with {@code contentType}, ignoring parameters such as charset; null if neither. */
    static BodyEncoding of(MediaType contentType) {
        if (contentType == null) {
            return null;
        }
        if (contentType.is(MediaType.JSON)) {
            return JSON;
        }
        return contentType.is(PROTOBUF.mediaType) ? PROTOBUF : null;
    }
}
