package dev.wsflux.conformance;

import dev.wsflux.conformance.Verdict.Behavior;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Autobahn-style summary of a run: per group, the count of each result, then every case below OK with its
 * reason and wire evidence. Stateless and thread-safe.
 */
public final class Summary {

    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("1", "Framing");
        GROUPS.put("2", "Pings/Pongs");
        GROUPS.put("3", "Reserved Bits");
        GROUPS.put("4", "Opcodes");
        GROUPS.put("5", "Fragmentation");
        GROUPS.put("6", "UTF-8 Handling");
        GROUPS.put("7", "Close Handling");
        GROUPS.put("9", "Limits/Performance");
        GROUPS.put("10", "Auto-Fragmentation");
        GROUPS.put("12", "WebSocket Compression (different payloads)");
        GROUPS.put("13", "WebSocket Compression (different parameters)");
    }

    private Summary() {}

    /** The table, per group and in total. */
    public static String table(String title, List<Verdict> verdicts, long millis, String reductionNote) {
        Map<String, Map<Behavior, Integer>> counts = new LinkedHashMap<>();
        GROUPS.keySet().forEach(g -> counts.put(g, new EnumMap<>(Behavior.class)));
        Map<Behavior, Integer> total = new EnumMap<>(Behavior.class);
        for (Verdict v : verdicts) {
            String group = v.id().substring(0, v.id().indexOf('.'));
            counts.computeIfAbsent(group, g -> new EnumMap<>(Behavior.class)).merge(v.result(), 1, Integer::sum);
            total.merge(v.result(), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        out.append(title)
                .append(" — ")
                .append(verdicts.size())
                .append(" cases in ")
                .append(String.format("%.1f", millis / 1000.0))
                .append(" s\n");
        String format = "%-4s %-46s %5s %6s %10s %13s %13s %6s%n";
        out.append(String.format(
                format, "", "group", "cases", "OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"));
        counts.forEach((group, byResult) -> out.append(row(format, group, GROUPS.getOrDefault(group, "?"), byResult)));
        out.append(row(format, "", "total", total));
        out.append("slowest: ")
                .append(verdicts.stream()
                        .sorted(java.util.Comparator.comparingLong(Verdict::millis)
                                .reversed())
                        .limit(6)
                        .map(v -> v.id() + " " + v.millis() + " ms")
                        .collect(java.util.stream.Collectors.joining(", ")))
                .append('\n');
        if (reductionNote != null) {
            out.append("reduced: ").append(reductionNote).append('\n');
        }
        return out.toString();
    }

    private static String row(String format, String group, String name, Map<Behavior, Integer> c) {
        int cases = c.values().stream().mapToInt(Integer::intValue).sum();
        return String.format(
                format,
                group,
                name,
                cases,
                c.getOrDefault(Behavior.OK, 0),
                c.getOrDefault(Behavior.NON_STRICT, 0),
                c.getOrDefault(Behavior.INFORMATIONAL, 0),
                c.getOrDefault(Behavior.UNIMPLEMENTED, 0),
                c.getOrDefault(Behavior.FAILED, 0));
    }

    /** The cases below OK (informational ones included, marked), with reasons and wire evidence. */
    public static String details(List<Verdict> verdicts, boolean withWire) {
        StringBuilder out = new StringBuilder();
        for (Verdict v : verdicts) {
            if (v.result() == Behavior.OK) {
                continue;
            }
            out.append("case ")
                    .append(v.id())
                    .append(": ")
                    .append(v.result())
                    .append(" (behavior ")
                    .append(v.behavior())
                    .append(", close ")
                    .append(v.closeBehavior())
                    .append(", ")
                    .append(v.millis())
                    .append(" ms) ")
                    .append(v.detail())
                    .append('\n');
            if (withWire && v.result() != Behavior.INFORMATIONAL) {
                v.wire().forEach(line -> out.append("    ").append(line).append('\n'));
            }
        }
        return out.toString();
    }
}
