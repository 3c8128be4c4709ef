package io.snkv.bench;

/** Receives each entry of an {@link OrderedScan}, in key order. */
@FunctionalInterface
interface EntryVisitor {
    void visit(byte[] key, byte[] value);
}
