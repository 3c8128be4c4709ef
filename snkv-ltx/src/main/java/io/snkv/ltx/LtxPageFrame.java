package io.snkv.ltx;

/**
 * One decoded page: its 1-based number and its page-size bytes (owned by the caller once returned).
 */
public record LtxPageFrame(long pageNumber, byte[] data) {}
