package io.snkv.ltx;

/** The 16-byte trailer: database checksum after applying, and the file checksum. Immutable. */
public record LtxTrailer(long postApplyChecksum, long fileChecksum) {}
