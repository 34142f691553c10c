package dev.kadshare.transfer.download;

import java.net.InetSocketAddress;

/** A timer a download asks for ({@link DownloadAction.Schedule}) and hears of when it fires. */
public sealed interface Timer {
    /** Time to cancel the requests that went unanswered for the request timeout (re-armed each time). */
    record CheckRequests() implements Timer {
    }

    /** The manifest asked for on {@code link} is due: unless it came meanwhile, another peer is asked. */
    record ManifestDue(Link link) implements Timer {
    }

    /** Time to dial again a peer that said GOODBYE. */
    record Redial(InetSocketAddress peer) implements Timer {
    }

    /** A rate-limit debt is paid: {@code link} may read again, unless a later pause ({@code pause}) superseded this. */
    record ReadAgain(Link link, int pause) implements Timer {
    }
}
