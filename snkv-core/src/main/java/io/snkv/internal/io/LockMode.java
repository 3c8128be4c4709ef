package io.snkv.internal.io;

/**
 * How a byte range is locked: POSIX read lock ({@link #SHARED}) or write lock ({@link #EXCLUSIVE}). Any
 * number of owners, in any processes, may hold a range {@code SHARED} together; an {@code EXCLUSIVE} holder
 * is alone on it.
 */
public enum LockMode {
    SHARED,
    EXCLUSIVE
}
