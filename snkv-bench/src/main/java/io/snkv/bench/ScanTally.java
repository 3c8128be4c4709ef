package io.snkv.bench;

/** Counts the entries a scan visits and their key plus value bytes, for the self-check. */
final class ScanTally implements EntryVisitor {

    long entries;
    long bytes;

    @Override
    public void visit(byte[] key, byte[] value) {
        entries++;
        bytes += key.length + value.length;
    }
}
