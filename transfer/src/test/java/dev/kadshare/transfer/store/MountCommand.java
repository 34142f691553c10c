package dev.kadshare.transfer.store;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** A command that mounts or unmounts a test's file system: run to its end within 30 s, or an IOException. */
final class MountCommand {
    private MountCommand() {
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue());
        }
    }
}
