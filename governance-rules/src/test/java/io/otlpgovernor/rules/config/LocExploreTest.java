package io.otlpgovernor.rules.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.*;
import com.fasterxml.jackson.databind.exc.*;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class LocExploreTest {
    record Limits(Integer maxItems) {}
    record Server(String hostName, Integer port, Limits limits) {}
    static final ObjectMapper M = new ObjectMapper(new YAMLFactory()).setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    void show(String yaml) {
        try { M.readValue(new java.io.ByteArrayInputStream(yaml.getBytes()), Server.class); System.out.println("OK"); }
        catch (Exception e) {
            JsonParser p = (JsonParser) ((com.fasterxml.jackson.core.JsonProcessingException) e).getProcessor();
            System.out.println(yaml.replace("\n","|") + " => loc " + ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation().getLineNr()
                + " tokenLoc " + (p == null ? "-" : p.currentTokenLocation().getLineNr() + " closed=" + p.isClosed() + " tok=" + p.currentToken()));
        }
    }
    @Test void explore() {
        show("host-name: a\ncolour: red\n");
        show("colour: red\nhost-name: a\n");
        show("colour: red\n\n\nhost-name: a\n");
        show("colour:\n  a: 1\n  b: 2\nhost-name: a\n");
        show("colour:\n  - 1\n  - 2\nhost-name: a\n");
        show("colour: [1,\n 2]\nhost-name: a\n");
        show("limits:\n  max-itemz: 1\n  \n\nport: 2\n");
        show("{host-name: a, colour: red}\n");
    }
}
