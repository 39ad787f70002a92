package dev.wsflux.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CaseCatalogueTest {

    private static final List<ConformanceCase> CASES =
            CaseCatalogue.all(CaseCatalogue.Reduction.fromSystemProperties());

    @Test
    void coversThe517CasesOfTheCatalogueOnce() {
        assertEquals(517, CASES.size());
        Set<String> ids = new HashSet<>();
        CASES.forEach(c -> assertTrue(ids.add(c.id()), "duplicate " + c.id()));
    }

    @Test
    void hasTheCatalogueCountPerGroup() {
        Map<String, Long> perGroup = CASES.stream()
                .collect(Collectors.groupingBy(ConformanceCase::group, TreeMap::new, Collectors.counting()));
        assertEquals(
                Map.of(
                        "1", 16L, "2", 11L, "3", 7L, "4", 10L, "5", 20L, "6", 145L, "7", 37L, "9", 54L, "10", 1L, "12",
                        90L, "13", 126L),
                perGroup);
    }

    @Test
    void onlyTheThreeInformationalCasesAreInformational() {
        assertEquals(
                List.of("7.1.6", "7.13.1", "7.13.2"),
                CASES.stream()
                        .filter(ConformanceCase::informational)
                        .map(ConformanceCase::id)
                        .toList());
    }

    @Test
    void utf8ExpectationsAgreeWithTheJdkDecoder() {
        for (ConformanceCase c : CASES) {
            if (c.group().equals("6")
                    && c.steps().size() <= 2
                    && c.steps().get(0) instanceof Step.Send send
                    && send.frames().size() == 1) {
                boolean valid = PeerConnection.isUtf8(send.frames().get(0).payload());
                assertEquals(valid, c.expectedClose().closedByMe(), c.id());
            }
        }
    }

    @Test
    void reductionOnlyLowersCompressionMessageCounts() {
        List<ConformanceCase> full = CaseCatalogue.all(CaseCatalogue.Reduction.none());
        for (int i = 0; i < CASES.size(); i++) {
            assertEquals(full.get(i).id(), CASES.get(i).id());
            if (full.get(i).deflate() != null) {
                assertEquals(1000, full.get(i).expectedOk().size(), full.get(i).id());
                assertTrue(CASES.get(i).expectedOk().size() >= 8, CASES.get(i).id());
            } else {
                assertEquals(
                        full.get(i).expectedOk(),
                        CASES.get(i).expectedOk(),
                        full.get(i).id());
            }
        }
    }

    @Test
    void reductionKeepsSmallMessagesAtAThousand() {
        CaseCatalogue.Reduction reduction = new CaseCatalogue.Reduction(false, 1 << 20, 8);
        assertEquals(1000, reduction.messages(16));
        assertEquals(256, reduction.messages(4096));
        assertEquals(8, reduction.messages(131072));
        assertEquals(1000, CaseCatalogue.Reduction.none().messages(131072));
    }
}
