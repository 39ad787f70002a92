package dev.wsflux.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP headers: an immutable, ordered multimap whose names compare case-insensitively.
 *
 * <p>Order and the original spelling of names are kept, so that serializing parsed headers gives
 * the same lines back. Build with {@link #builder()} or {@link #of(String...)}.
 */
public final class Headers {
    private static final Headers EMPTY = new Headers(List.of());

    private final List<Map.Entry<String, String>> entries;

    private Headers(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Headers from alternating names and values: {@code of("Host", "example.com", "Origin", "x")}. */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got " + namesAndValues.length + " strings");
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these headers. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.entries.addAll(entries);
        return builder;
    }

    /** The first value of {@code name}, if any. */
    public Optional<String> first(String name) {
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** The first value of {@code name}, or {@code null}. */
    public String get(String name) {
        return first(name).orElse(null);
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Map.Entry<String, String> entry : entries) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                values.add(entry.getValue());
            }
        }
        return values;
    }

    /** Whether at least one header is named {@code name}. */
    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** Every header, in order, with names as they were given. */
    public List<Map.Entry<String, String>> entries() {
        return entries;
    }

    /** The number of header lines. */
    public int size() {
        return entries.size();
    }

    /** Whether there are no headers. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Headers that) || that.entries.size() != entries.size()) {
            return false;
        }
        for (int i = 0; i < entries.size(); i++) {
            Map.Entry<String, String> a = entries.get(i);
            Map.Entry<String, String> b = that.entries.get(i);
            if (!a.getKey().equalsIgnoreCase(b.getKey()) || !a.getValue().equals(b.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (Map.Entry<String, String> entry : entries) {
            hash = 31 * hash
                    + 31 * foldedHash(entry.getKey())
                    + entry.getValue().hashCode();
        }
        return hash;
    }

    /**
     * A hash of {@code name} that agrees with {@link String#equalsIgnoreCase}, which {@link #equals} uses: that
     * method matches code points whose upper cases, or the lower cases of those, are equal, so each code point
     * is folded the same way. ({@code toLowerCase(Locale.ROOT)} would not do: it maps U+0130, capital I with
     * dot above, to two characters, although that letter equals "i" ignoring case.)
     */
    private static int foldedHash(String name) {
        int hash = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            hash = 31 * hash + Character.toLowerCase(Character.toUpperCase(codePoint));
            i += Character.charCount(codePoint);
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : entries) {
            text.append(entry.getKey()).append(": ").append(entry.getValue()).append("\r\n");
        }
        return text.toString();
    }

    /** Builds {@link Headers}. Not thread-safe. */
    public static final class Builder {
        private final List<Map.Entry<String, String>> entries = new ArrayList<>();

        private Builder() {}

        /** Appends a header line. Names and values may not contain CR or LF. */
        public Builder add(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || containsLineBreak(name) || containsLineBreak(value)) {
                throw new IllegalArgumentException("invalid header: " + name + ": " + value);
            }
            entries.add(Map.entry(name, value));
            return this;
        }

        /** Replaces every header named {@code name} with one line holding {@code value}. */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /** Removes every header named {@code name}. */
        public Builder remove(String name) {
            entries.removeIf(entry -> entry.getKey().equalsIgnoreCase(name));
            return this;
        }

        /** Appends every header of {@code headers}. */
        public Builder addAll(Headers headers) {
            entries.addAll(headers.entries);
            return this;
        }

        /** Whether a header named {@code name} was added. */
        public boolean contains(String name) {
            return entries.stream().anyMatch(entry -> entry.getKey().equalsIgnoreCase(name));
        }

        /** The headers built so far. */
        public Headers build() {
            return entries.isEmpty() ? EMPTY : new Headers(Collections.unmodifiableList(new ArrayList<>(entries)));
        }

        private static boolean containsLineBreak(String text) {
            return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
        }
    }
}
