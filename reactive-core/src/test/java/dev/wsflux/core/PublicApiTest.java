package dev.wsflux.core;

import dev.wsflux.core.testing.PublicApi;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md §7: no Netty type and no reference-counted buffer reaches a user. */
class PublicApiTest {
    @Test
    void coreAndProtocolSignaturesUseNoNettyType() {
        PublicApi.assertNoNettyTypes("dev.wsflux.core");
        PublicApi.assertNoNettyTypes("dev.wsflux.protocol");
    }
}
