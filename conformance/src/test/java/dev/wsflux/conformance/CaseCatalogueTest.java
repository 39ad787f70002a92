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

    private static final CaseCatalogue.Reduction REDUCTION = CaseCatalogue.Reduction.fromSystemProperties();
    private static final List<ConformanceCase> CASES = CaseCatalogue.all(REDUCTION);

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
        assertEquals("{1=16, 10=1, 12=90, 13=126, 2=11, 3=7, 4=10, 5=20, 6=145, 7=37, 9=54}", perGroup.toString());
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
        for (ConformanceCase c : CASES) {
            if (c.deflate() != null) {
                int size = c.expectedOk().get(0).payload().length;
                assertEquals(REDUCTION.messages(size), c.expectedOk().size(), c.id());
                assertEquals(c.expectedOk().size() < 1000, c.reduction() != null, c.id());
            } else {
                assertEquals(null, c.reduction(), c.id());
            }
        }
        long roundTrips = CASES.stream()
                .filter(c -> c.id().startsWith("9.7.") || c.id().startsWith("9.8."))
                .filter(c -> c.expectedOk().size() == 1000)
                .count();
        assertEquals(12, roundTrips);
    }

    @Test
    void reductionBoundsMessageCounts() {
        CaseCatalogue.Reduction reduction = new CaseCatalogue.Reduction(false, 1 << 20, 8, 200);
        assertEquals(200, reduction.messages(16));
        assertEquals(200, reduction.messages(4096));
        assertEquals(32, reduction.messages(32768));
        assertEquals(8, reduction.messages(131072));
        assertEquals(1000, CaseCatalogue.Reduction.none().messages(131072));
    }
}
