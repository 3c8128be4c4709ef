package io.snkv;

/**
 * What a checkpoint did.
 *
 * @param framesInLog          frames in the WAL when the checkpoint ran (0 after a RESTART or TRUNCATE reset)
 * @param framesCheckpointed   frames whose pages are now in the database file
 */
public record CheckpointResult(int framesInLog, int framesCheckpointed) {
}
