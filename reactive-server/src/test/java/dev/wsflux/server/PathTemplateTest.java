package dev.wsflux.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void literalTemplatesMatchExactlyIgnoringEmptySegments() {
        PathTemplate template = PathTemplate.parse("/chat");
        assertEquals(Map.of(), template.match("/chat"));
        assertEquals(Map.of(), template.match("/chat/"));
        assertNull(template.match("/chat/x"));
        assertNull(template.match("/other"));
        assertEquals("/chat", template.toString());
    }

    @Test
    void variablesCaptureOneDecodedSegment() {
        PathTemplate template = PathTemplate.parse("/rooms/{room}/users/{user}");
        assertEquals(Map.of("room", "a b", "user", "x+y"), template.match("/rooms/a%20b/users/x+y"));
        assertNull(template.match("/rooms/a"));
        assertNull(template.match("/rooms/a/people/b"));
    }

    @Test
    void aRestVariableCapturesZeroOrMoreSegments() {
        PathTemplate template = PathTemplate.parse("/files/{*path}");
        assertEquals(Map.of("path", "a/b.txt"), template.match("/files/a/b.txt"));
        assertEquals(Map.of("path", ""), template.match("/files"));
        assertNull(template.match("/other/a"));
    }

    @Test
    void malformedPercentEncodingIsKeptAsIs() {
        assertEquals(Map.of("x", "%zz"), PathTemplate.parse("/{x}").match("/%zz"));
    }

    @Test
    void invalidTemplatesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse(null));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("chat"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/{*rest}/more"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/{*}"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/{open"));
        assertThrows(IllegalArgumentException.class, () -> PathTemplate.parse("/{}"));
    }
}
