package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.wsflux.conformance.Verdict.Behavior;
import dev.wsflux.server.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Plays Autobahn|Testsuite's fuzzing client against the wsflux server: every case of groups 1–7, 9, 10, 12
 * and 13 over a real loopback socket. Fails on any result below OK outside the informational cases, listing
 * each failing case with its wire evidence. The summary also goes to {@code target/conformance-server.txt}.
 */
class ServerConformanceIT {

    @Test
    void serverPassesEveryCaseStrictly() throws Exception {
        CaseCatalogue.Reduction reduction = CaseCatalogue.Reduction.fromSystemProperties();
        List<ConformanceCase> cases = CaseCatalogue.all(reduction);
        RunningServer server = EchoTestee.start();
        long start = System.nanoTime();
        List<Verdict> verdicts;
        try {
            FuzzingClient client = new FuzzingClient("127.0.0.1", server.port(), "/");
            verdicts = ConformanceSuite.run(cases, i -> client.run(cases.get(i)));
        } finally {
            server.shutdown().block(java.time.Duration.ofSeconds(15));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        report("conformance-server.txt", "wsflux server (peer: fuzzing client)", cases, verdicts, millis, reduction);
    }

    static void report(
            String file,
            String title,
            List<ConformanceCase> cases,
            List<Verdict> verdicts,
            long millis,
            CaseCatalogue.Reduction reduction)
            throws IOException {
        String table = Summary.table(title, verdicts, millis, reductionNote(cases, reduction));
        String details = Summary.details(verdicts, true);
        System.out.println(table);
        System.out.println(Summary.details(verdicts, false));
        Path target = Path.of("target");
        Files.createDirectories(target);
        StringBuilder timings = new StringBuilder("\nevery case: id result behavior/close millis\n");
        verdicts.forEach(v -> timings.append(v.id())
                .append(' ')
                .append(v.result())
                .append(' ')
                .append(v.behavior())
                .append('/')
                .append(v.closeBehavior())
                .append(' ')
                .append(v.millis())
                .append('\n'));
        Files.writeString(target.resolve(file), table + "\n" + details + timings, StandardCharsets.UTF_8);
        List<Verdict> failing = verdicts.stream()
                .filter(v -> v.result() != Behavior.OK && v.result() != Behavior.INFORMATIONAL)
                .toList();
        if (!failing.isEmpty()) {
            String lines = Summary.details(failing, true);
            fail(failing.size() + " case(s) below OK: "
                    + failing.stream().map(Verdict::id).toList() + "\n" + table + "\n"
                    + (lines.length() > 60_000 ? lines.substring(0, 60_000) + "\n… see target/" + file : lines));
        }
    }

    private static String reductionNote(List<ConformanceCase> cases, CaseCatalogue.Reduction reduction) {
        if (reduction.full()) {
            return null;
        }
        long reduced = cases.stream().filter(c -> c.reduction() != null).count();
        return "message counts of " + reduced + " of the 216 compression cases (12.x/13.x): at most "
                + reduction.maxMessages() + " messages and " + reduction.bytesPerCase() + " bytes per case (at least "
                + reduction.minMessages() + " messages) instead of 1000 messages; every case, payload size, fragment"
                + " size and negotiation still runs; -Dwsflux.conformance.full=true runs Autobahn's counts";
    }
}
