package io.snkv.bench;

/**
 * A prepared walk over every entry in key order (an iterator, or a prepared query). Creating and closing it are not
 * timed; {@link #walk} is: it positions on the first entry and reads each key and each value to the end.
 */
interface OrderedScan extends AutoCloseable {

    void walk(EntryVisitor visitor) throws Exception;

    @Override
    void close() throws Exception;
}
