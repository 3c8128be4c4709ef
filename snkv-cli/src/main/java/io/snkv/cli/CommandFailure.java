package io.snkv.cli;

/**
 * A command could not do its work: the message is the whole line the user sees after the command's
 * name (it names the file and the fault). Exit code 1.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
