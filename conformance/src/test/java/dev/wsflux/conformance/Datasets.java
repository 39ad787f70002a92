package dev.wsflux.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Payload corpora for the compression cases 12.x and 13.x. Autobahn ships real files (a JSON document, the
 * Lena bitmap, Goethe's Faust, an HTML page, a PDF); they are not available here, so these are generated
 * deterministically with the same sizes and a similar mix of compressibility: structured ASCII text (JSON,
 * HTML), natural-language text with non-ASCII letters (binary, as in Autobahn), a smooth 8-bit image, and a
 * document mixing text with incompressible streams. The UTF-8 corpora are pure ASCII so that any slice is
 * valid UTF-8. Stateless and thread-safe.
 */
public final class Datasets {

    /** A corpus and whether its messages are text. */
    public record Corpus(String name, byte[] data, boolean text) {}

    private static final String[] WORDS = {
        "alpha", "beta", "gamma", "delta", "socket", "frame", "message", "stream", "window", "buffer", "server",
        "client", "reactor", "netty", "deflate", "inflate", "payload", "header", "mask", "close", "ping", "pong",
        "status", "value", "index", "name", "active", "score", "region", "user", "order", "price", "items"
    };

    private static final String[] GERMAN = {
        "Habe",
        "nun",
        "ach",
        "Philosophie",
        "Juristerei",
        "und",
        "Medizin",
        "leider",
        "auch",
        "Theologie",
        "durchaus",
        "studiert",
        "mit",
        "heißem",
        "Bemühn",
        "Da",
        "steh",
        "ich",
        "armer",
        "Tor",
        "bin",
        "so",
        "klug",
        "als",
        "wie",
        "zuvor",
        "Heiße",
        "Magister",
        "Doktor",
        "gar",
        "Schüler",
        "Nächte",
        "Größe",
        "öde"
    };

    private Datasets() {}

    /** 12.1 and all of 13.x: a large JSON document, UTF-8 (194,056 bytes). */
    public static Corpus json() {
        Random random = new Random(121);
        StringBuilder out = new StringBuilder("[");
        int id = 0;
        while (out.length() < 194_056) {
            out.append("{\"id\":")
                    .append(id++)
                    .append(",\"name\":\"")
                    .append(word(random))
                    .append(' ')
                    .append(word(random))
                    .append("\",\"active\":")
                    .append(random.nextBoolean())
                    .append(",\"score\":")
                    .append(random.nextInt(100_000) / 100.0)
                    .append(",\"tags\":[\"")
                    .append(word(random))
                    .append("\",\"")
                    .append(word(random))
                    .append("\"]},\n");
        }
        return new Corpus("json", fit(out.toString().getBytes(StandardCharsets.US_ASCII), 194_056), true);
    }

    /** 12.2: a 512x512 8-bit grayscale bitmap (263,222 bytes), binary. */
    public static Corpus bitmap() {
        Random random = new Random(122);
        byte[] data = new byte[263_222];
        int header = 263_222 - 512 * 512;
        for (int i = 0; i < header; i++) {
            data[i] = (byte) (i < 54 ? "BM6".charAt(i % 3) : (i - 54) / 4); // header and gray palette
        }
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                double shade = 128 + 60 * Math.sin(x / 37.0) + 50 * Math.cos(y / 23.0);
                data[header + y * 512 + x] = (byte) Math.max(0, Math.min(255, (int) shade + random.nextInt(9) - 4));
            }
        }
        return new Corpus("bitmap", data, false);
    }

    /** 12.3: German verse with umlauts (222,218 bytes), binary as in Autobahn. */
    public static Corpus faust() {
        Random random = new Random(123);
        StringBuilder out = new StringBuilder();
        while (out.length() < 222_218) {
            int words = 4 + random.nextInt(6);
            for (int i = 0; i < words; i++) {
                out.append(GERMAN[random.nextInt(GERMAN.length)]).append(i + 1 < words ? " " : ",\n");
            }
        }
        return new Corpus("faust", fit(out.toString().getBytes(StandardCharsets.UTF_8), 222_218), false);
    }

    /** 12.4: a large HTML page, UTF-8 (263,647 bytes). */
    public static Corpus html() {
        Random random = new Random(124);
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><title>wsflux</title></head><body>\n");
        while (out.length() < 263_647) {
            out.append("<div class=\"")
                    .append(word(random))
                    .append("\"><a href=\"/")
                    .append(word(random))
                    .append("/")
                    .append(random.nextInt(10_000))
                    .append("\">")
                    .append(word(random))
                    .append("</a><p>")
                    .append(word(random))
                    .append(' ')
                    .append(word(random))
                    .append(' ')
                    .append(word(random))
                    .append("</p></div>\n");
        }
        return new Corpus("html", fit(out.toString().getBytes(StandardCharsets.US_ASCII), 263_647), true);
    }

    /** 12.5: a PDF-like document: text objects and incompressible streams (1,042,328 bytes), binary. */
    public static Corpus pdf() {
        Random random = new Random(125);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        int object = 1;
        while (out.size() < 1_042_328) {
            String text =
                    object + " 0 obj\n<< /Type /Page /Parent 2 0 R /Contents " + (object + 1) + " 0 R >>\nendobj\n";
            out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            byte[] stream = new byte[512 + random.nextInt(4096)];
            random.nextBytes(stream);
            out.writeBytes("stream\n".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(stream);
            out.writeBytes("\nendstream\n".getBytes(StandardCharsets.US_ASCII));
            object += 2;
        }
        return new Corpus("pdf", fit(out.toByteArray(), 1_042_328), false);
    }

    /** Message {@code index} of a series: a slice of the corpus (wrapping around). */
    public static byte[] slice(Corpus corpus, int index, int size) {
        int span = corpus.data().length - size;
        int offset = (int) (((long) index * size) % span);
        return Arrays.copyOfRange(corpus.data(), offset, offset + size);
    }

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static byte[] fit(byte[] data, int size) {
        byte[] fitted = Arrays.copyOf(data, size);
        for (int i = data.length; i < size; i++) {
            fitted[i] = ' ';
        }
        return fitted;
    }
}
