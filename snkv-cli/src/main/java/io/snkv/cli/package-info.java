/**
 * The {@code snkv} command. For now: {@code demo}, the seed demo's writer and reader against one local
 * store. Calls only the public API of {@code io.snkv}.
 */
package io.snkv.cli;
