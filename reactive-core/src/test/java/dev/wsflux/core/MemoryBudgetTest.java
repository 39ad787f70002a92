package dev.wsflux.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    private final MemoryBudget budget = MemoryBudget.of(1000);

    @Test
    void belowThePressureMarkNobodyPauses() {
        budget.update(0, 749);
        assertEquals(750, budget.pressureMark());
        assertFalse(budget.isUnderPressure());
        assertFalse(budget.shouldPause(749));
    }

    @Test
    void underPressureTheLargestHoldersPauseFirst() {
        budget.update(0, 600); // one large holder
        budget.update(0, 100); // two small ones
        budget.update(0, 100);
        assertTrue(budget.isUnderPressure(), "800 of 1000");
        assertTrue(budget.shouldPause(600), "above the average of 266");
        assertFalse(budget.shouldPause(100), "below the average");
        assertFalse(budget.shouldPause(0), "a connection holding nothing may read");
        assertFalse(budget.isExceeded());
    }

    @Test
    void atTheLimitEveryonePausesAndHandshakesAreRefused() {
        budget.update(0, 1000);
        assertTrue(budget.isExceeded());
        assertTrue(budget.shouldPause(0));
        budget.recordRejectedHandshake();
        assertEquals(1, budget.rejectedHandshakes());
    }

    @Test
    void pausedConnectionsResumeOnceUsageFallsBelowThePressureMark() {
        AtomicInteger resumed = new AtomicInteger();
        budget.update(0, 900);
        budget.whenBelowPressure(resumed::incrementAndGet);
        budget.whenBelowPressure(resumed::incrementAndGet);
        assertEquals(2, budget.pausedConnections());
        budget.update(900, 800);
        assertEquals(0, resumed.get(), "still under pressure");
        budget.update(800, 100);
        assertEquals(2, resumed.get());
        assertEquals(0, budget.pausedConnections());
        assertEquals(100, budget.used());
    }

    @Test
    void aWaiterRegisteredAfterTheDropIsWokenAtOnce() {
        AtomicInteger resumed = new AtomicInteger();
        budget.whenBelowPressure(resumed::incrementAndGet);
        assertEquals(1, resumed.get(), "no lost wake-up when usage dropped before the registration");
    }

    @Test
    void invalidArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.of(0));
        assertThrows(IllegalArgumentException.class, () -> budget.update(-1, 0));
        assertTrue(MemoryBudget.processDefault().limit() >= Runtime.getRuntime().maxMemory() / 4 - 1);
    }
}
