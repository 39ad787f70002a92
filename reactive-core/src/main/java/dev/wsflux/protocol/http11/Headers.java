package dev.wsflux.protocol.http11;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * HTTP headers: an immutable, ordered multimap whose names compare case-insensitively.
 *
 * <p>Immutable, so thread-safe. Order and the original spelling of names are kept, so that serializing
 * parsed headers gives the same lines back. Build with {@link #builder()} or {@link #of(String...)}.
 *
 * <p>A session keeps the headers of its handshake for its whole life, so they are stored compactly: one
 * array of exactly the size needed, names at even indexes and each one's value just after it. That is one
 * object and one array per instance, whatever the number of lines, instead of a list of entry objects.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7230#section-3.2">RFC 7230 §3.2 Header Fields</a>
 */
public final class Headers {
    private static final String[] NO_FIELDS = new String[0];
    private static final Headers EMPTY = new Headers(NO_FIELDS);

    /** Names at even indexes, the value of each at the next index; exactly the size needed, never changed. */
    private final String[] fields;

    private Headers(String[] fields) {
        this.fields = fields;
    }

    /** No headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * Headers from alternating names and values: {@code of("Host", "example.com", "Origin", "x")}.
     *
     * @throws IllegalArgumentException if there is an odd number of strings, or a name or value is invalid as
     *     in {@link Builder#add(String, String)}
     * @throws NullPointerException if a string is {@code null}
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got " + namesAndValues.length + " strings");
        }
        return adopt(namesAndValues.clone());
    }

    /**
     * Headers that take {@code namesAndValues} itself, without copying it, after checking every name and
     * value as {@link Builder#add(String, String)} does. The caller gives up the array: it must not change it
     * afterwards.
     */
    static Headers adopt(String[] namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            checkField(namesAndValues[i], namesAndValues[i + 1]);
        }
        return namesAndValues.length == 0 ? EMPTY : new Headers(namesAndValues);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder(Builder.INITIAL_CAPACITY);
    }

    /** A builder holding these headers. */
    public Builder toBuilder() {
        Builder builder = new Builder(Math.max(Builder.INITIAL_CAPACITY, fields.length + 2));
        System.arraycopy(fields, 0, builder.fields, 0, fields.length);
        builder.length = fields.length;
        return builder;
    }

    /** The first value of {@code name}, if any. */
    public Optional<String> first(String name) {
        return Optional.ofNullable(get(name));
    }

    /** The first value of {@code name}, or {@code null}. */
    public String get(String name) {
        int index = indexOf(fields, fields.length, name);
        return index < 0 ? null : fields[index + 1];
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (int i = 0; i < fields.length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                values.add(fields[i + 1]);
            }
        }
        return values;
    }

    /** Whether at least one header is named {@code name}. */
    public boolean contains(String name) {
        return indexOf(fields, fields.length, name) >= 0;
    }

    /**
     * Every header, in order, with names as they were given: an unmodifiable list, a view of these headers
     * whose {@link List#get(int)} makes each entry when asked.
     */
    public List<Map.Entry<String, String>> entries() {
        return new Entries(fields);
    }

    /** The number of header lines. */
    public int size() {
        return fields.length / 2;
    }

    /** Whether there are no headers. */
    public boolean isEmpty() {
        return fields.length == 0;
    }

    /**
     * Whether {@code other} holds the same lines in the same order: names equal ignoring case (as {@link
     * String#equalsIgnoreCase} compares them), values equal.
     */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Headers that) || that.fields.length != fields.length) {
            return false;
        }
        for (int i = 0; i < fields.length; i += 2) {
            if (!fields[i].equalsIgnoreCase(that.fields[i]) || !fields[i + 1].equals(that.fields[i + 1])) {
                return false;
            }
        }
        return true;
    }

    /** A hash code consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < fields.length; i += 2) {
            hash = 31 * hash + 31 * foldedHash(fields[i]) + fields[i + 1].hashCode();
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

    /** The header lines as sent on the wire: {@code "Host: example.com\r\n"} for each line. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            text.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
        }
        return text.toString();
    }

    /**
     * The name of field line {@code index}, from 0, as received or added (no copy or entry is made).
     *
     * @param index from 0 to {@link #size()} - 1
     * @return the name
     */
    public String nameAt(int index) {
        return fields[2 * index];
    }

    /**
     * The value of field line {@code index}, from 0.
     *
     * @param index from 0 to {@link #size()} - 1
     * @return the value
     */
    public String valueAt(int index) {
        return fields[2 * index + 1];
    }

    /** The index of the first name in {@code fields[0, length)} that is {@code name} ignoring case, or -1. */
    private static int indexOf(String[] fields, int length, String name) {
        for (int i = 0; i < length; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void checkField(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || containsLineBreak(name) || containsLineBreak(value)) {
            throw new IllegalArgumentException("invalid header: " + name + ": " + value);
        }
    }

    private static boolean containsLineBreak(String text) {
        return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
    }

    /** The view {@link #entries()} returns: an entry per pair of fields, made on each {@link #get(int)}. */
    private static final class Entries extends AbstractList<Map.Entry<String, String>> implements RandomAccess {
        private final String[] fields;

        Entries(String[] fields) {
            this.fields = fields;
        }

        @Override
        public Map.Entry<String, String> get(int index) {
            Objects.checkIndex(index, fields.length / 2);
            return Map.entry(fields[2 * index], fields[2 * index + 1]);
        }

        @Override
        public int size() {
            return fields.length / 2;
        }
    }

    /** Builds {@link Headers}. Not thread-safe. */
    public static final class Builder {
        /** Room for 8 lines, as many as a minimal handshake has; the array doubles when more are added. */
        private static final int INITIAL_CAPACITY = 16;

        /** Names and values as in {@link Headers#fields}, in {@code fields[0, length)}. */
        private String[] fields;

        private int length;

        private Builder(int capacity) {
            this.fields = new String[capacity];
        }

        /** Appends a header line. Names may not be empty; names and values may not contain CR or LF. */
        public Builder add(String name, String value) {
            checkField(name, value);
            ensureRoom(2);
            fields[length] = name;
            fields[length + 1] = value;
            length += 2;
            return this;
        }

        /** Replaces every header named {@code name} with one line holding {@code value}, at the end. */
        public Builder set(String name, String value) {
            checkField(name, value);
            remove(name);
            return add(name, value);
        }

        /** Removes every header named {@code name}. */
        public Builder remove(String name) {
            int kept = 0;
            for (int i = 0; i < length; i += 2) {
                if (!fields[i].equalsIgnoreCase(name)) {
                    fields[kept] = fields[i];
                    fields[kept + 1] = fields[i + 1];
                    kept += 2;
                }
            }
            Arrays.fill(fields, kept, length, null);
            length = kept;
            return this;
        }

        /** Appends every header of {@code headers}. */
        public Builder addAll(Headers headers) {
            ensureRoom(headers.fields.length);
            System.arraycopy(headers.fields, 0, fields, length, headers.fields.length);
            length += headers.fields.length;
            return this;
        }

        /** Whether a header named {@code name} was added. */
        public boolean contains(String name) {
            return indexOf(fields, length, name) >= 0;
        }

        /** The headers built so far. */
        public Headers build() {
            return length == 0 ? EMPTY : new Headers(Arrays.copyOf(fields, length));
        }

        private void ensureRoom(int more) {
            if (length + more > fields.length) {
                fields = Arrays.copyOf(fields, Math.max(length + more, 2 * fields.length));
            }
        }
    }
}
