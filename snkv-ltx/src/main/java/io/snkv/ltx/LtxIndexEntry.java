package io.snkv.ltx;

/** One page index entry: page number, frame offset from the start of the file, frame size in bytes. */
public record LtxIndexEntry(long pageNumber, long offset, long size) {}
