package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;

/** {@code kadshare resume ID}: continues a paused or failed download. */
@Parameters(commandNames = "resume", commandDescription = "Resume a paused or failed download")
public final class ResumeCommand extends TransferActionCommand {
    public ResumeCommand() {
        super("resume");
    }
}
