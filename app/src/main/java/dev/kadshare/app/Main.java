package dev.kadshare.app;

import dev.kadshare.node.cli.BuildInfo;
import dev.kadshare.node.cli.Command;
import dev.kadshare.node.cli.CommandLine;
import dev.kadshare.node.cli.DaemonCommand;
import dev.kadshare.node.cli.DemoCommand;
import dev.kadshare.node.cli.GetCommand;
import dev.kadshare.node.cli.OpenCommand;
import dev.kadshare.node.cli.PauseCommand;
import dev.kadshare.node.cli.PeersCommand;
import dev.kadshare.node.cli.RemoveCommand;
import dev.kadshare.node.cli.ResumeCommand;
import dev.kadshare.node.cli.SearchCommand;
import dev.kadshare.node.cli.ShareCommand;
import dev.kadshare.node.cli.StatusCommand;
import dev.kadshare.node.cli.StopCommand;
import dev.kadshare.node.cli.WebCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** The runnable jars' entry point: the commands they offer, in the order {@code kadshare help} lists them. */
public final class Main {
    /**
     * Every command of the daemon's jar; the modules keep the commands themselves, this list says which ship. A jar
     * on the class path beside it adds its own through ServiceLoader: the simulation's jar adds simulate, so the
     * daemon's jar carries neither the simulation nor its charting libraries.
     */
    static final List<Supplier<? extends Command>> COMMANDS = List.of(
            DaemonCommand::new, ShareCommand::new, GetCommand::new, OpenCommand::new, StatusCommand::new, SearchCommand::new,
            PeersCommand::new, PauseCommand::new, ResumeCommand::new, RemoveCommand::new, StopCommand::new,
            WebCommand::new, DemoCommand::new);

    /** Written into the jar by the build (`git rev-parse HEAD`, see app/pom.xml). */
    private static final String BUILD_INFO = "/kadshare-version.properties";

    private Main() {}

    public static void main(String[] args) {
        BuildInfo build = BuildInfo.read(Main.class.getResourceAsStream(BUILD_INFO));
        System.exit(new CommandLine(build, commands()).run(args, System.out, System.err));
    }

    /** {@link #COMMANDS}, then those found through ServiceLoader (each {@code get()} makes a fresh one). */
    private static List<Supplier<? extends Command>> commands() {
        List<Supplier<? extends Command>> all = new ArrayList<>(COMMANDS);
        ServiceLoader.load(Command.class).stream().forEach(all::add);
        return all;
    }
}
