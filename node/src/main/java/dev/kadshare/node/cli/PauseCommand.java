package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;

/** {@code kadshare pause ID}: stops a download where it is; {@code resume} continues it. */
@Parameters(commandNames = "pause", commandDescription = "Pause a download")
public final class PauseCommand extends TransferActionCommand {
    public PauseCommand() {
        super("pause");
    }
}
