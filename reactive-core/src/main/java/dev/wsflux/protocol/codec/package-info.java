/**
 * The parsers and serializers under the protocol: WebSocket frames ({@code FrameParser}, {@code FrameSerializer},
 * {@code Masker}, {@code Utf8Validator}) and HTTP/1.1 messages ({@code HttpParser}, {@code HttpSerializer}).
 * Public so that the protocol package and the benchmarks can use them, but not exported by the module: not
 * part of the API. Push parsers that accept any split of their input.
 */
package dev.wsflux.protocol.codec;
