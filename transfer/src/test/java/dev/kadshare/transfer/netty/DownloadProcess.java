package dev.kadshare.transfer.netty;

import dev.kadshare.transfer.content.ContentId;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A download in a JVM of its own, for tests that kill it: args are content id hex, seeder port, output dir. */
public final class DownloadProcess {
    public static void main(String[] args) throws Exception {
        var group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        NettyDownload download = NettyDownload.start(ContentId.fromHex(args[0]),
                List.of(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1]))), Path.of(args[2]), group);
        download.completion().get(2, TimeUnit.MINUTES);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
