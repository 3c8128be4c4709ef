package io.snkv;

/**
 * Walks a store's entries in key order (unsigned bytewise, a shorter key before the longer keys it
 * prefixes). Position it with {@link #first()}, then read {@link #key()} and {@link #value()} while
 * {@link #valid()}, moving with {@link #next()}.
 *
 * <p>Opened outside a transaction it reads one committed snapshot for its whole life (WAL mode) and
 * must be closed to release it. Opened inside a write transaction it sees that transaction's own
 * writes, including those made after it was opened: it then continues after the last key it returned.
 * One thread at a time.
 */
public interface KVIterator extends AutoCloseable {
    /** Moves to the first entry; false when there is none. */
    boolean first();

    /** Moves to the next entry; false when there is none (the iterator is then not valid). */
    boolean next();

    /** Whether the iterator stands on an entry. */
    boolean valid();

    /** The current entry's key; {@link IllegalStateException} when not valid. */
    byte[] key();

    /** The current entry's value, read only now; {@link IllegalStateException} when not valid. */
    byte[] value();

    /** Releases the snapshot; idempotent. */
    @Override
    void close();
}
