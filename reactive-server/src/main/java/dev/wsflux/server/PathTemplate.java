package dev.wsflux.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path template: literal segments, {@code {name}} for one segment and a final {@code {*name}} for
 * the rest of the path (zero or more segments). Immutable.
 *
 * <pre>
 * /chat                 matches /chat
 * /rooms/{room}         matches /rooms/lobby          {room=lobby}
 * /files/{*path}        matches /files/a/b.txt        {path=a/b.txt}, and /files  {path=}
 * </pre>
 */
final class PathTemplate {
    private final String template;
    private final List<String> segments;
    private final String rest;

    private PathTemplate(String template, List<String> segments, String rest) {
        this.template = template;
        this.segments = segments;
        this.rest = rest;
    }

    /** Parses a template; it must start with {@code /}. */
    static PathTemplate parse(String template) {
        if (template == null || !template.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': " + template);
        }
        List<String> segments = new ArrayList<>(split(template));
        String rest = null;
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{*")) {
                if (i != segments.size() - 1 || !segment.endsWith("}") || segment.length() < 4) {
                    throw new IllegalArgumentException("{*name} must be the last segment: " + template);
                }
                rest = segment.substring(2, segment.length() - 1);
                segments.remove(i);
            } else if (segment.startsWith("{") != segment.endsWith("}")
                    || (segment.startsWith("{") && segment.length() < 3)) {
                throw new IllegalArgumentException("invalid variable segment '" + segment + "' in " + template);
            }
        }
        return new PathTemplate(template, List.copyOf(segments), rest);
    }

    /**
     * Matches a request path (without its query).
     *
     * @return the variables, or {@code null} when the path does not match
     */
    Map<String, String> match(String path) {
        List<String> parts = split(path);
        if (parts.size() < segments.size() || (rest == null && parts.size() != segments.size())) {
            return null;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            String part = parts.get(i);
            if (segment.startsWith("{")) {
                variables.put(segment.substring(1, segment.length() - 1), decode(part));
            } else if (!segment.equals(part)) {
                return null;
            }
        }
        if (rest != null) {
            variables.put(rest, decode(String.join("/", parts.subList(segments.size(), parts.size()))));
        }
        return variables;
    }

    @Override
    public String toString() {
        return template;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/", -1)) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static String decode(String value) {
        // Percent-decoding of a path segment: '+' is a literal plus here, not a space.
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }
}
