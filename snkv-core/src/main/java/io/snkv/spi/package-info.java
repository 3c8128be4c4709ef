/**
 * The service interface between the store and a replication node: {@link io.snkv.spi.ReplicationHook}, found
 * with {@link java.util.ServiceLoader}, binds a store opened in a node's served directory to that node. The
 * store depends on nothing here but these two interfaces; {@code snkv-node} implements them.
 */
package io.snkv.spi;
