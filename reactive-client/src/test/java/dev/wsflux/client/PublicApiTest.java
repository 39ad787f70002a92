package dev.wsflux.client;

import dev.wsflux.core.testing.PublicApi;
import org.junit.jupiter.api.Test;

/** docs/ARCHITECTURE.md §7: no Netty type and no reference-counted buffer reaches a user. */
class PublicApiTest {
    @Test
    void signaturesUseNoNettyType() {
        PublicApi.assertNoNettyTypes("dev.wsflux.client");
    }
}
