package io.snkv.internal.pager;

/**
 * The page set of one commit as a {@link CommitHook} sees it: the changed pages in increasing page
 * number, and the database size in pages before and after.
 *
 * @param pgnos  changed page numbers, sorted, the first {@code count} entries valid
 * @param pages  their contents after the commit (do not modify)
 * @param txn    the committing transaction, for pages it did not change ({@link WriteTxn#page}) and
 *               the committed version of the ones it did ({@link WriteTxn#committedPage})
 */
public record CommitPages(int[] pgnos, byte[][] pages, int count, int oldSize, int newSize, WriteTxn txn) {
}
