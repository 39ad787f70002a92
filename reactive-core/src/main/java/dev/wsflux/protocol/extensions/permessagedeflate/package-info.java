/**
 * permessage-deflate (<a href="https://www.rfc-editor.org/rfc/rfc7692">RFC 7692</a>): its options and its
 * client and server factories are public; the extension, its compressor, decompressor and negotiated
 * parameters are package-private. Depends on {@code frames}, {@code http11} and {@code extensions}.
 */
package dev.wsflux.protocol.extensions.permessagedeflate;
