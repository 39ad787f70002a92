package dev.wsflux.samples;

import java.io.PrintStream;

/**
 * What {@code wsdump} prints, and the {@code > } prompt around it: messages go to standard output, frames,
 * status and errors to standard error. On a terminal a line that arrives while the prompt is shown replaces
 * the prompt line and the prompt is drawn again below it; once input has ended or the connection is closed the
 * prompt is erased and never drawn again, so that the shell's prompt starts on a clean line. Off a terminal
 * there is no prompt and lines are printed as they are.
 *
 * <p>Thread-safe: the event loop (messages, frames), the stdin reader (prompt) and the main thread or a
 * shutdown hook (status) print through one lock, so that lines of the two streams never cut into each other.
 */
final class WsdumpConsole {
    /** Carriage return, then ANSI "erase in line" (CSI K): clears the prompt and any unsent typed text. */
    private static final String ERASE_LINE = "\r\u001b[K";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private boolean promptShown;
    private boolean prompting;

    /**
     * A console over {@code out} and {@code err}.
     *
     * @param interactive whether both are a terminal that a person types on: then {@code > } prompts for input
     */
    WsdumpConsole(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
        this.prompting = interactive;
    }

    /** A line of standard output, such as {@code < text: hi}. */
    synchronized void out(String line) {
        print(out, line);
    }

    /** A line of standard error, such as a frame, {@code closing: interrupted} or {@code error: …}. */
    synchronized void err(String line) {
        print(err, line);
    }

    /** Shows the {@code > } prompt, unless it is shown already or input is over. */
    synchronized void prompt() {
        if (prompting && !promptShown) {
            out.print("> ");
            out.flush();
            promptShown = true;
        }
    }

    /** The person pressed Enter: the terminal echoed the line and its newline, so no prompt is shown now. */
    synchronized void lineRead() {
        promptShown = false;
    }

    /** No more input will be read: the prompt is erased and not drawn again. */
    synchronized void endInput() {
        prompting = false;
        erasePrompt();
    }

    private void print(PrintStream stream, String line) {
        boolean redraw = promptShown;
        erasePrompt();
        stream.println(line);
        stream.flush();
        if (redraw && prompting) {
            prompt();
        }
    }

    private void erasePrompt() {
        if (promptShown) {
            out.print(ERASE_LINE);
            out.flush();
            promptShown = false;
        }
    }
}
