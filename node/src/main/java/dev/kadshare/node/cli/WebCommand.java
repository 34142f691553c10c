package dev.kadshare.node.cli;

import com.beust.jcommander.Parameters;
import dev.kadshare.node.api.ControlClient;
import dev.kadshare.node.datadir.DataDir;
import java.io.PrintStream;
import java.nio.file.Files;

/** {@code kadshare web}: the address of the daemon's web page and the token to sign in with. */
@Parameters(commandNames = "web", commandDescription = "Print the address of the daemon's web page and the token to sign in with")
public final class WebCommand extends Command {
    @Override
    public int run(PrintStream out) throws Exception {
        DataDir dataDir = dataDir();
        // Asks the daemon first: a stale api.address of a daemon that died is no page to open.
        ControlClient.connect(dataDir).get("/v1/status");
        String address = Files.readString(dataDir.apiAddress()).trim();
        String token = Files.readString(dataDir.apiToken()).trim();
        out.println("open   http://" + address + "/");
        out.println("token  " + token);
        out.println("(the page asks for the token once per browser tab; ssh -L PORT:" + address
                + " serves it elsewhere, at http://localhost:PORT/)");
        return 0;
    }
}
