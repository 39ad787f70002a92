/**
 * The session engine's entry points for reactive-client and reactive-server ({@link
 * dev.wsflux.core.internal.Engines}). Internal: not exported, no compatibility promise.
 */
package dev.wsflux.core.internal;
