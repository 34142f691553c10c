package dev.kadshare.dht.wire;

/** A message that asks for a {@link Response} with the same transaction id. */
public sealed interface Request extends Message
        permits Ping, FindNode, GetPeers, AnnouncePeer, WithdrawPeer, GetRecords, PutRecord, ConnectRequest,
        Introduce {
    /** The only response type that answers this request. */
    Class<? extends Response> responseType();
}
