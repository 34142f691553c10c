package dev.kadshare.node.transfers;

import dev.kadshare.transfer.content.Manifest;
import dev.kadshare.transfer.netty.NettyDownload;
import java.nio.file.Path;

/** A transfer's listener that hears everything and does nothing: tests override what they watch. */
class QuietTransferListener implements Transfer.Listener {
    @Override
    public void stateChanged(Transfer t) {
    }

    @Override
    public void serving(Transfer t, NettyDownload download) {
    }

    @Override
    public void holding(Transfer t) {
    }

    @Override
    public void released(Transfer t) {
    }

    @Override
    public void completed(Manifest m, Path at) {
    }
}
